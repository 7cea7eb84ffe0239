namespace MultiDcVault.Harness.Infrastructure.Secrets;

/// <summary>
/// A credential (Vault token, key share). ToString never reveals it, so it cannot leak
/// through string interpolation, logging or exception messages by accident.
/// </summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    private readonly string _value;

    public SecretValue(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The raw value; call only where it crosses into a request header, env var or file.</summary>
    public string Reveal() => _value;

    public override string ToString() => "[redacted]";

    public bool Equals(SecretValue? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SecretValue other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
