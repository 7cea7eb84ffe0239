using System.CommandLine;
using MultiDcVault.Harness.Topology;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// Options every environment command shares; each mirrors a MULTIDC_* variable and wins over it.
/// </summary>
internal sealed class CommonOptions
{
    private readonly Option<string> _session = new(MultiDcVariables.Session.CliOption) { Description = MultiDcVariables.Session.Description };
    private readonly Option<string> _network = new(MultiDcVariables.Network.CliOption) { Description = MultiDcVariables.Network.Description };
    private readonly Option<int?> _clusters = new(MultiDcVariables.Clusters.CliOption) { Description = MultiDcVariables.Clusters.Description };
    private readonly Option<string> _names = new("--names", MultiDcVariables.ClusterNames.CliOption) { Description = MultiDcVariables.ClusterNames.Description };
    private readonly Option<int?> _poolSize = new(MultiDcVariables.PoolSize.CliOption) { Description = MultiDcVariables.PoolSize.Description };
    private readonly Option<string> _unseal = new("--unseal", MultiDcVariables.UnsealMode.CliOption) { Description = "transit (default) or kv" };

    public void AddTo(Command command)
    {
        command.Options.Add(_session);
        command.Options.Add(_network);
        command.Options.Add(_clusters);
        command.Options.Add(_names);
        command.Options.Add(_poolSize);
        command.Options.Add(_unseal);
    }

    /// <exception cref="OptionsValidationException">An option or variable is not valid.</exception>
    public MultiDcOptions Bind(ParseResult parse, CliConsole console)
    {
        var problems = new List<string>();
        UnsealMode? unseal = parse.GetValue(_unseal) switch
        {
            null => null,
            var text when text.Equals("transit", StringComparison.OrdinalIgnoreCase) => UnsealMode.Transit,
            var text when text.Equals("kv", StringComparison.OrdinalIgnoreCase) => UnsealMode.Kv,
            var text => Problem(problems, $"--unseal {text} is not valid: use transit or kv"),
        };
        var names = parse.GetValue(_names)?.Split(',', StringSplitOptions.TrimEntries);
        var overrides = new MultiDcOptionsOverrides
        {
            Session = parse.GetValue(_session),
            NetworkName = parse.GetValue(_network),
            ClusterCount = parse.GetValue(_clusters),
            ClusterNames = names,
            PoolSize = parse.GetValue(_poolSize),
            UnsealMode = unseal,
        };
        try
        {
            var bound = MultiDcOptionsBinder.BindWithOrigins(console.ReadVariable, overrides);
            problems.AddRange(MultiDcOptionsValidator.Validate(bound.Options, bound.Origins));
            return problems.Count == 0 ? bound.Options : throw new OptionsValidationException(problems);
        }
        catch (OptionsValidationException e) when (!ReferenceEquals(e.Problems, problems))
        {
            // Report the option problems found here together with the binder's.
            throw new OptionsValidationException([.. problems, .. e.Problems]);
        }
    }

    private static UnsealMode? Problem(List<string> problems, string text)
    {
        problems.Add(text);
        return null;
    }
}
