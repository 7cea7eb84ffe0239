namespace MultiDcVault.Harness.Configuration;

/// <summary>A setting's value as one layer (command line, code override, environment) gave it: where from, and its text.</summary>
internal sealed record GivenSetting(OptionOrigin Origin, string Text);
