using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Environment.State;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment.State;

public sealed class EnvironmentStateStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "multidc-store-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Deleting_in_a_work_directory_that_does_not_exist_is_a_no_op()
    {
        var store = new EnvironmentStateStore(Path.Combine(_root, "never-created"));

        store.Delete();

        Directory.Exists(store.WorkDirectory).Should().BeFalse();
    }

    [Theory]
    [InlineData("{ \"session\": \"s\", \"clus")]
    [InlineData("{}")]
    [InlineData("{ \"session\": null, \"networkName\": \"n\" }")]
    [InlineData("{ \"session\": \"s\", \"networkName\": \"n\", \"clusters\": null }")]
    [InlineData("{ \"session\": \"s\", \"networkName\": \"n\", \"clusters\": [null] }")]
    public async Task A_state_file_no_reader_could_use_is_unreadable_with_the_reason_inside(string json)
    {
        var store = new EnvironmentStateStore(_root);
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(store.StatePath, json, Ct);

        var act = () => store.ReadAsync(Ct);

        var error = (await act.Should().ThrowAsync<InvalidDataException>()).Which;
        error.Message.Should().StartWith($"{store.StatePath} is not a state file this harness can read");
        error.InnerException.Should().BeAssignableTo<JsonException>();
    }

    [Fact]
    public async Task A_complete_state_file_reads_back()
    {
        var store = new EnvironmentStateStore(_root);
        await store.WriteAsync(new EnvironmentState { Session = "s", NetworkName = "n" }, Ct);

        var state = await store.ReadAsync(Ct);

        state.Should().NotBeNull();
        state!.Session.Should().Be("s");
        state.Clusters.Should().BeEmpty();
    }
}
