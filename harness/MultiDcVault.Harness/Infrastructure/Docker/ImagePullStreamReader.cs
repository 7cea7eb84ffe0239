using System.Text.Json;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Reads POST /images/create's newline-delimited JSON progress. The daemon answers 200 first and
/// reports most failures (unknown tag, registry down, auth) as an "error" line later in the stream.
/// </summary>
internal static class ImagePullStreamReader
{
    public static async Task ReadAsync(Stream stream, string image, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue; // A partial or non-JSON line carries nothing we can act on.
            }

            using (document)
            {
                var root = document.RootElement;
                var error = ErrorOf(root);
                if (error is not null)
                {
                    throw new DockerApiException(System.Net.HttpStatusCode.OK, error, "POST /images/create",
                        $"Pulling '{image}' failed; check the image name, registry reachability and `docker login`, "
                        + "or load the image from a file (`docker load -i <file>`).");
                }

                progress?.Report(new ImagePullProgress(StringOf(root, "id"), StringOf(root, "status") ?? string.Empty, StringOf(root, "progress")));
            }
        }
    }

    private static string? ErrorOf(JsonElement root)
    {
        if (root.TryGetProperty("errorDetail", out var detail) && detail.ValueKind == JsonValueKind.Object
            && StringOf(detail, "message") is { Length: > 0 } detailed)
        {
            return detailed;
        }

        return StringOf(root, "error") is { Length: > 0 } error ? error : null;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
