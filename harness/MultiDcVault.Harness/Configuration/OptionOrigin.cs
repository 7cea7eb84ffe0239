namespace MultiDcVault.Harness.Configuration;

internal enum ValueSource
{
    /// <summary>The value was set in code or is the built-in default.</summary>
    Code,

    /// <summary>The value came from a MULTIDC_* environment variable.</summary>
    Environment,

    /// <summary>The value came from a CLI option (an explicit override).</summary>
    CommandLine,
}

/// <summary>
/// Where a setting's value came from, so an error can name the exact thing the person typed:
/// <c>MULTIDC_POOL_SIZE='0'</c>, <c>--pool-size 0</c> or <c>PoolSize=0</c>.
/// </summary>
/// <param name="Source">Which layer supplied the value.</param>
/// <param name="Key">Variable name, CLI option or property name.</param>
/// <param name="RawText">The value as it was given.</param>
internal sealed record OptionOrigin(ValueSource Source, string Key, string RawText)
{
    /// <summary>How to quote the setting in an error message.</summary>
    public string Describe() => Source switch
    {
        ValueSource.Environment => $"{Key}='{RawText}'",
        ValueSource.CommandLine => RawText.Length == 0 || RawText.Any(char.IsWhiteSpace)
            ? $"{Key} '{RawText}'"
            : $"{Key} {RawText}",
        _ => $"{Key}={RawText}",
    };
}
