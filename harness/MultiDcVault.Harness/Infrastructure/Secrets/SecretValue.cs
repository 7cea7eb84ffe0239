namespace MultiDcVault.Harness.Infrastructure.Secrets;

/// <summary>
/// A credential (Vault token, key share). ToString never reveals it, so it cannot leak
/// through string interpolation, logging or exception messages by accident.
/// </summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    private readonly string _value;

    /// <summary>Wraps <paramref name="value"/>, which must not be null or empty.</summary>
    public SecretValue(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The raw value; call only where it crosses into a request header, env var or file.</summary>
    public string Reveal() => _value;

    /// <summary>Always "[redacted]", never the value.</summary>
    public override string ToString() => "[redacted]";

    /// <summary>True when <paramref name="other"/> holds the same value (ordinal comparison).</summary>
    public bool Equals(SecretValue? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <summary>True when <paramref name="obj"/> is a <see cref="SecretValue"/> holding the same value.</summary>
    public override bool Equals(object? obj) => obj is SecretValue other && Equals(other);

    /// <summary>A hash of the value, consistent with <see cref="Equals(SecretValue?)"/>.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
