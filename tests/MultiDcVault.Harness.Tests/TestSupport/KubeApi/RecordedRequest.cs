namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>One request the stand-in received, with what the comparison with kubectl looks at.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string? Accept, string Body, bool ClientCertificateVerified)
{
    /// <summary>The query parameters in sent order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryParameters =>
        [.. Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty))];

    /// <summary>The media type without parameters such as "; charset=utf-8".</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim();

    public override string ToString() => $"{Method} {Path}{Query}";
}

/// <summary>What the stand-in answers, after <see cref="Delay"/>.</summary>
internal sealed record StandInResponse(int Status, string Body, string ContentType = "application/json")
{
    public TimeSpan Delay { get; init; }
}
