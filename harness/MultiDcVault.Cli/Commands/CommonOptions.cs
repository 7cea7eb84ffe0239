using System.CommandLine;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Processes;

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
    private readonly Option<string> _networkSubnet = Text(MultiDcVariables.NetworkSubnet);
    private readonly Option<string> _kindNodeImage = Text(MultiDcVariables.KindNodeImage);
    private readonly Option<string> _metalLbVersion = Text(MultiDcVariables.MetalLbVersion);
    private readonly Option<string> _operatorChartVersion = Text(MultiDcVariables.OperatorChartVersion);
    private readonly Option<string> _operatorImage = Text(MultiDcVariables.OperatorImage);
    private readonly Option<string> _bankVaultsImage = Text(MultiDcVariables.BankVaultsImage);
    private readonly Option<string> _vaultImage = Text(MultiDcVariables.VaultImage);
    private readonly Option<string> _centralVaultImage = Text(MultiDcVariables.CentralVaultImage);
    private readonly Option<int?> _multiplier = new(MultiDcVariables.RaftPerformanceMultiplier.CliOption) { Description = MultiDcVariables.RaftPerformanceMultiplier.Description };
    private readonly Option<string> _namespace = Text(MultiDcVariables.Namespace);
    private readonly Option<string> _workDirectory = Text(MultiDcVariables.WorkDirectory);
    private readonly Option<bool> _keep = new(MultiDcVariables.Keep.CliOption) { Description = "Leave the environment running afterwards (MULTIDC_KEEP)" };
    private readonly Option<bool> _reuse = new(MultiDcVariables.Reuse.CliOption) { Description = "Reuse an environment that is already up (MULTIDC_REUSE)" };
    private readonly Option<int?> _upTimeout = new(MultiDcVariables.UpTimeoutMinutes.CliOption) { Description = MultiDcVariables.UpTimeoutMinutes.Description };

    public void AddTo(Command command)
    {
        command.Options.Add(_session);
        command.Options.Add(_network);
        command.Options.Add(_clusters);
        command.Options.Add(_names);
        command.Options.Add(_poolSize);
        command.Options.Add(_unseal);
        foreach (var option in new Option[]
        {
            _networkSubnet, _kindNodeImage, _metalLbVersion, _operatorChartVersion, _operatorImage, _bankVaultsImage,
            _vaultImage, _centralVaultImage, _multiplier, _namespace, _workDirectory, _keep, _reuse, _upTimeout,
        })
        {
            command.Options.Add(option);
        }
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
            NetworkSubnet = parse.GetValue(_networkSubnet),
            KindNodeImage = parse.GetValue(_kindNodeImage),
            MetalLbVersion = parse.GetValue(_metalLbVersion),
            OperatorChartVersion = parse.GetValue(_operatorChartVersion),
            OperatorImage = parse.GetValue(_operatorImage),
            BankVaultsImage = parse.GetValue(_bankVaultsImage),
            VaultImage = parse.GetValue(_vaultImage),
            CentralVaultImage = parse.GetValue(_centralVaultImage),
            RaftPerformanceMultiplier = parse.GetValue(_multiplier),
            Namespace = parse.GetValue(_namespace),
            WorkDirectory = parse.GetValue(_workDirectory),
            Keep = parse.GetResult(_keep) is null ? null : parse.GetValue(_keep),
            Reuse = parse.GetResult(_reuse) is null ? null : parse.GetValue(_reuse),
            UpTimeoutMinutes = parse.GetValue(_upTimeout),
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

    private static Option<string> Text(MultiDcVariable variable) =>
        new(variable.CliOption) { Description = $"{variable.Description} ({variable.Name})" };

    private static UnsealMode? Problem(List<string> problems, string text)
    {
        problems.Add(text);
        return null;
    }
}
