namespace MultiDcVault.Harness.Verification;

/// <summary>One write a writer wants made: value <see cref="Counter"/> at <see cref="Key"/>.</summary>
internal sealed record WriteRequest(string WriterId, string Key, long Counter);

/// <summary>How a write attempt ended, judged the Jepsen way from the HTTP answer.</summary>
public enum WriteOutcomeKind
{
    /// <summary>The server confirmed the write (2xx): it must be readable afterwards.</summary>
    Acknowledged,

    /// <summary>The server definitely refused it (4xx): it must not be relied on either way.</summary>
    Failed,

    /// <summary>Timeout, 5xx, connection error: the write may or may not have been applied.</summary>
    Indeterminate,
}

/// <summary>What the write delegate reports back.</summary>
/// <param name="ServedBy">
/// The Raft node that accepted the write as active node (e.g. the node_id or address of the node the client
/// wrote to after it reported itself active), or null when unknown. Recovery time and split-brain
/// detection only use writes whose server is known.
/// </param>
/// <param name="Detail">Status code or error text for reports; never a token.</param>
internal sealed record WriteOutcome(WriteOutcomeKind Kind, string? ServedBy = null, string? Detail = null)
{
    public static WriteOutcome Acknowledged(string? servedBy, string? detail = null) => new(WriteOutcomeKind.Acknowledged, servedBy, detail);

    public static WriteOutcome Failed(string? detail, string? servedBy = null) => new(WriteOutcomeKind.Failed, servedBy, detail);

    public static WriteOutcome Indeterminate(string? detail, string? servedBy = null) => new(WriteOutcomeKind.Indeterminate, servedBy, detail);

    /// <summary>Classifies an HTTP status the Jepsen way: 2xx acknowledged, 4xx failed, anything else (5xx, 3xx, 0) indeterminate.</summary>
    public static WriteOutcome FromStatusCode(int statusCode, string? servedBy) => statusCode switch
    {
        >= 200 and < 300 => Acknowledged(servedBy, $"HTTP {statusCode}"),
        >= 400 and < 500 => Failed($"HTTP {statusCode}", servedBy),
        _ => Indeterminate($"HTTP {statusCode}", servedBy),
    };
}
