namespace MultiDcVault.Harness.Provisioning;

/// <summary>A CLI could not be downloaded, verified or installed; nothing half-installed is left behind.</summary>
internal class ToolProvisioningException : Exception
{
    public ToolProvisioningException()
    {
    }

    public ToolProvisioningException(string message)
        : base(message)
    {
    }

    public ToolProvisioningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The download's SHA-256 is not the pinned (or published) one: corrupt or tampered with.</summary>
internal sealed class ToolChecksumMismatchException : ToolProvisioningException
{
    public ToolChecksumMismatchException()
    {
    }

    public ToolChecksumMismatchException(string message)
        : base(message)
    {
    }

    public ToolChecksumMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ToolChecksumMismatchException(Uri url, string expected, string actual, string expectedSource)
        : this(url, expected, actual, expectedSource, "Retry later, or install the tool by hand.")
    {
    }

    /// <param name="remedy">What the user can do, one sentence.</param>
    public ToolChecksumMismatchException(Uri url, string expected, string actual, string expectedSource, string remedy)
        : base($"SHA-256 of {url} is {actual}, but {expectedSource} says {expected}. Nothing was installed: " +
               $"the download is corrupt or has been tampered with. {remedy}")
    {
        Url = url;
        Expected = expected;
        Actual = actual;
    }

    public Uri? Url { get; }

    public string? Expected { get; }

    public string? Actual { get; }
}
