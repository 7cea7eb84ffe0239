namespace MultiDcVault.Harness.Scenarios.Soak;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its algorithm, so a seed printed by one run replays the
/// same schedule on any machine and any .NET version (System.Random's seeded sequence is an implementation detail).
/// </summary>
internal sealed class SeededRandom(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(NextUInt64() % (ulong)count);
    }

    /// <summary>Whole seconds, uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public TimeSpan Seconds(int min, int max) => TimeSpan.FromSeconds(min + Next(max - min + 1));

    public bool Chance(int percent) => Next(100) < percent;
}
