using System.Globalization;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>Parses Go's time.Duration text ("0s", "678.62575ms", "1m30.5s"), which Vault uses for last_contact.</summary>
internal static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var negative = false;
        if (span[0] is '-' or '+')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span is "0")
        {
            return true;
        }

        double totalNanoseconds = 0;
        var parsedAny = false;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0
                || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[numberLength..];
            var unitLength = 0;
            while (unitLength < span.Length && !char.IsAsciiDigit(span[unitLength]) && span[unitLength] != '.')
            {
                unitLength++;
            }

            double? nanosPerUnit = span[..unitLength] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => null,
            };
            if (nanosPerUnit is null)
            {
                return false;
            }

            totalNanoseconds += number * nanosPerUnit.Value;
            span = span[unitLength..];
            parsedAny = true;
        }

        if (!parsedAny)
        {
            return false;
        }

        // TimeSpan has 100 ns ticks.
        value = TimeSpan.FromTicks((long)Math.Round(totalNanoseconds / 100));
        if (negative)
        {
            value = value.Negate();
        }

        return true;
    }

    /// <summary>Go duration text for a request parameter such as a token period ("768h0m0s" style, whole seconds).</summary>
    public static string Format(TimeSpan value) =>
        ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}
