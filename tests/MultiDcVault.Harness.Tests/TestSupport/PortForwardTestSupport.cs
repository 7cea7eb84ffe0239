namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>Waits (in real time, bounded) for something another thread makes true.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int attempts = 400)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return condition();
    }
}
