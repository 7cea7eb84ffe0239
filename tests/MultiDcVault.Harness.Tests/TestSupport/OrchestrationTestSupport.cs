using MultiDcVault.Harness.Clusters.Docker;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json;
using k8s.Models;
using System.Text;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>In-memory Docker side: one network, kind node containers that scripted `kind create` adds, sweeps it records.</summary>
internal sealed class FakeEnvironmentDocker : IEnvironmentDocker
{
    private readonly ConcurrentDictionary<string, KindNodeContainer> _nodes = new(StringComparer.Ordinal);

    public bool NetworkExists { get; set; }

    public bool NeedsPortForwarding { get; set; }

    public string? ProbeProblem { get; set; }

    public ConcurrentQueue<string> Calls { get; init; } = new();

    public List<string> RemovedNetworks { get; } = [];

    public IReadOnlyList<string> SweptContainers { get; set; } = [];

    public NetworkLayout Layout(string name) =>
        new(name, [new IpamSubnet("172.30.0.0/16", "172.30.0.1")], ["172.30.0.2"]);

    public INodeContainers NodeContainers { get; init; } = new NoNodeCommands();

    /// <summary>Images in the "host engine"; a pull adds one.</summary>
    public ConcurrentDictionary<string, LocalImage> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>Every pull, in start order.</summary>
    public ConcurrentQueue<string> Pulls { get; } = new();

    /// <summary>The clock pulls wait on.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How long pulling an image takes with the host's download to itself.</summary>
    public Func<string, TimeSpan> PullLatency { get; set; } = _ => TimeSpan.Zero;

    /// <summary>When set, pulling this image fails as a registry error would.</summary>
    public Func<string, Exception?> PullError { get; set; } = _ => null;

    /// <summary>Pulls share the host's one download link: one at a time, so N pulls take the sum of their times.</summary>
    private readonly SemaphoreSlim _downloadLink = new(1, 1);

    public void AddImage(string image, string platform = "linux/amd64") =>
        Images[image] = new LocalImage(image, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image))), platform, 0);

    public Task<LocalImage?> FindImageAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult(Images.TryGetValue(image, out var found) ? found : null);

    public async Task PullImageAsync(string image, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        Pulls.Enqueue(image);
        Calls.Enqueue($"pull {image}");
        await _downloadLink.WaitAsync(cancellationToken);
        try
        {
            if (PullError(image) is { } error)
            {
                throw error;
            }

            progress?.Report(new ImagePullProgress("layer-1", "Downloading", "[=>   ]"));
            await Task.Delay(PullLatency(image), Time, cancellationToken);
            progress?.Report(new ImagePullProgress("layer-1", "Pull complete", null));
        }
        finally
        {
            _downloadLink.Release();
        }

        AddImage(image);
    }

    /// <summary>Adds the node container kind would create for <paramref name="cluster"/> on <paramref name="network"/>.</summary>
    public void AddKindNode(string cluster, string network, string ipv4) =>
        _nodes[cluster] = new KindNodeContainer($"{cluster}-control-plane", cluster, new Dictionary<string, NodeAddresses> { [network] = new(ipv4, null) });

    public void RemoveKindNode(string cluster) => _nodes.TryRemove(cluster, out _);

    public bool HasKindNode(string cluster) => _nodes.ContainsKey(cluster);

    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult(ProbeProblem);

    public Task<(NetworkLayout Layout, bool Created)> EnsureNetworkAsync(string name, string? subnet, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"ensure network {name}");
        var created = !NetworkExists;
        NetworkExists = true;
        if (created && labels.TryGetValue(HarnessLabels.Session, out var session))
        {
            NetworkSession = session;
        }

        return Task.FromResult((Layout(name), created));
    }

    public Task<NetworkLayout?> TryReadNetworkAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(NetworkExists ? Layout(name) : null);

    /// <summary>The session label of the network; set by EnsureNetworkAsync when it creates it.</summary>
    public string? NetworkSession { get; set; }

    public Task<string?> NetworkSessionAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(NetworkExists ? NetworkSession : null);

    public Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"remove network {name}");
        var existed = NetworkExists;
        NetworkExists = false;
        if (existed)
        {
            RemovedNetworks.Add(name);
        }

        return Task.FromResult(existed);
    }

    public Task<IReadOnlyList<KindNodeContainer>> FindKindNodesAsync(string cluster, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KindNodeContainer>>(_nodes.TryGetValue(cluster, out var node) ? [node] : []);

    public Task<SweepResult> SweepSessionAsync(string session, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"sweep {session}");
        return Task.FromResult(new SweepResult(SweptContainers, []));
    }

    public Task<bool> NeedsPortForwardingAsync(CancellationToken cancellationToken) => Task.FromResult(NeedsPortForwarding);

    /// <summary>What FindAnySessionContainersAsync answers: containers of any session, or on a labelled network.</summary>
    public List<SessionContainer> SessionContainers { get; } = [];

    public Task<IReadOnlyList<SessionContainer>> FindAnySessionContainersAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("find session containers");
        return Task.FromResult<IReadOnlyList<SessionContainer>>([.. SessionContainers]);
    }

    /// <summary>Labelled objects a selected sweep chooses from (kind "container", "network" or "volume"), removed when selected.</summary>
    public List<(string Kind, string Name, IReadOnlyDictionary<string, string> Labels)> LabelledObjects { get; } = [];

    public Task<SweepResult> SweepSelectedAsync(Func<IReadOnlyDictionary<string, string>, bool> which, CancellationToken cancellationToken)
    {
        Calls.Enqueue("sweep selected");
        var selected = LabelledObjects.Where(o => which(o.Labels)).ToList();
        LabelledObjects.RemoveAll(selected.Contains);
        IReadOnlyList<string> Of(string kind) => [.. selected.Where(o => o.Kind == kind).Select(o => o.Name)];
        return Task.FromResult(new SweepResult([.. SweptContainers, .. Of("container")], Of("network")) { Volumes = Of("volume") });
    }

    private sealed class NoNodeCommands : INodeContainers
    {
        public Task<Harness.Faults.NodeExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
            Task.FromResult(new Harness.Faults.NodeExecResult(0, string.Empty, string.Empty));

        public Task PauseAsync(string container, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task UnpauseAsync(string container, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsPausedAsync(string container, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(string container, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Harness.Faults.NodeContainerState> InspectAsync(string container, string network, CancellationToken cancellationToken) =>
            Task.FromResult(new Harness.Faults.NodeContainerState(true, true, false, null, null));
    }
}

/// <summary>A central Vault that "stores" the in-cluster root token once <see cref="Initialise"/> was called (by a scripted apply).</summary>
internal sealed class FakeCentralVaults : ICentralVaultProvider
{
    public static readonly string RootTokenText = TestTokens.Named("ROOTtokenOfTheInClusterVault0001");
    public static readonly string TransitTokenText = TestTokens.Named("TRANSITtokenForTheClusters000002");
    public static readonly string CentralRootTokenText = TestTokens.Named("CENTRALrootTokenOfDevVault000003");
    public static readonly string UnsealKeyText = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(TestTokens.Named("UNSEALkeyOfTheCentralVault000004")));

    private readonly TimeProvider _time;
    private DateTimeOffset? _initialisedAt;
    private bool _hasVolume;

    public FakeCentralVaults(TimeProvider time, string session)
    {
        _time = time;
        ContainerName = CentralVault.ContainerNameFor(session);
        Redactor.Default.Register(new SecretValue(RootTokenText));
        Redactor.Default.Register(new SecretValue(TransitTokenText));
        Redactor.Default.Register(new SecretValue(CentralRootTokenText));
        Redactor.Default.Register(new SecretValue(UnsealKeyText));
    }

    public string ContainerName { get; }

    public bool Running { get; set; }

    public int Starts { get; private set; }

    public int Removals { get; private set; }

    public CentralVaultState? AdoptedWith { get; private set; }

    /// <summary>The fixed address the last fresh start was given.</summary>
    public string? StartedAt { get; private set; }

    /// <summary>How long bank-vaults "takes" to initialise the leader after its CR was applied.</summary>
    public TimeSpan InitialisationDelay { get; set; } = TimeSpan.FromSeconds(5);

    public CentralVaultState State => new(ContainerName, new SecretValue(CentralRootTokenText), new SecretValue(TransitTokenText), new SecretValue(UnsealKeyText));

    /// <summary>Called when the leader's CR is applied.</summary>
    public void Initialise() => _initialisedAt ??= _time.GetUtcNow() + InitialisationDelay;

    public bool RootTokenPresent => _initialisedAt is { } at && _time.GetUtcNow() >= at;

    /// <summary>A session over this fake, for tests that build an environment handle by hand.</summary>
    public ICentralVaultSession NewSession() => new Session(this, reused: false);

    public Task<ICentralVaultSession> StartFreshAsync(string? ipv4Address, CancellationToken cancellationToken)
    {
        Starts++;
        Running = true;
        _hasVolume = true;
        StartedAt = ipv4Address;
        return Task.FromResult<ICentralVaultSession>(new Session(this, reused: false));
    }

    public Task<ICentralVaultSession> AttachAsync(CentralVaultState previous, CancellationToken cancellationToken)
    {
        AdoptedWith = previous;
        return Running && previous.RootToken.Reveal() == CentralRootTokenText
            ? Task.FromResult<ICentralVaultSession>(new Session(this, reused: true))
            : Task.FromException<ICentralVaultSession>(new CentralVaultUnavailableException(
                $"The central Vault container {ContainerName} no longer exists; run `multidc down` and then `multidc up`."));
    }

    public string DataVolumeName => ContainerName + "-data";

    public Task<bool> StartIfStoppedAsync(CancellationToken cancellationToken)
    {
        var start = !Running && _hasVolume;
        Running |= start;
        return Task.FromResult(start);
    }

    public Task<CentralVaultRemoval> RemoveAsync(CancellationToken cancellationToken)
    {
        Removals++;
        var removal = new CentralVaultRemoval(Running, _hasVolume);
        Running = false;
        _hasVolume = false;
        return Task.FromResult(removal);
    }

    private sealed class Session(FakeCentralVaults owner, bool reused) : ICentralVaultSession
    {
        public string ContainerName => owner.ContainerName;

        public Uri InNetworkAddress => new("http://172.30.0.3:8200");

        public Uri HostAddress => new("http://172.30.0.3:8200");

        public CentralVaultState State => owner.State;

        public bool Reused => reused;

        public bool FixedAddress => true;

        public RuntimeValues RuntimeValues(string? leaderLoadBalancerIp) => new()
        {
            LeaderLoadBalancerIp = leaderLoadBalancerIp,
            CentralVaultAddress = "http://172.30.0.3:8200",
            CentralVaultToken = new SecretValue(TransitTokenText),
        };

        public Task<SecretValue?> TryReadRootTokenAsync(CancellationToken cancellationToken) =>
            Task.FromResult(owner.RootTokenPresent ? new SecretValue(RootTokenText) : null);

        public Task StopAsync(CancellationToken cancellationToken)
        {
            owner.Running = false;
            return Task.CompletedTask;
        }

        public Task StartAgainAsync(CancellationToken cancellationToken)
        {
            owner.Running = true;
            return Task.CompletedTask;
        }
    }
}

/// <summary>Raft that forms once every follower CR was applied and <see cref="FormationDelay"/> passed.</summary>
internal sealed class FakeRaftProbe(TimeProvider time, int clusters) : IRaftProbe
{
    private DateTimeOffset? _formsAt;
    private int _followersApplied;

    public TimeSpan FormationDelay { get; set; } = TimeSpan.FromSeconds(10);

    public bool NeverForms { get; set; }

    public ConcurrentQueue<string?> TokensSeen { get; } = new();

    public void FollowerApplied()
    {
        if (Interlocked.Increment(ref _followersApplied) == clusters - 1)
        {
            _formsAt = time.GetUtcNow() + FormationDelay;
        }
    }

    public void FormNow() => _formsAt = time.GetUtcNow();

    public Task<RaftObservation> ObserveAsync(
        IReadOnlyList<DatacenterEndpoint> datacenters, SecretValue? rootToken, IReadOnlyList<Harness.Faults.InjectedFault> injectedFaults, CancellationToken cancellationToken)
    {
        TokensSeen.Enqueue(rootToken?.Reveal());
        var formed = !NeverForms && rootToken is not null && _formsAt is { } at && time.GetUtcNow() >= at;
        var voters = formed ? datacenters.Count : 1;
        var health = new RaftHealthSnapshot
        {
            AutopilotReady = true,
            AutopilotHealthy = formed,
            FailureTolerance = formed ? RaftHealthEvaluator.ExpectedFailureTolerance(voters) : 0,
            VoterCount = voters,
            ExpectedVoters = datacenters.Count,
            LeaderId = datacenters[0].Name,
            LeaderAgreed = true,
            Problems = formed ? [] : [$"{voters} voter(s), expected {datacenters.Count} (new nodes stay non-voters for server_stabilization_time)"],
        };
        var rows = datacenters.Select((d, i) => new DatacenterStatus(d.Name, d.LoadBalancerIp, $"vault-{d.Name}-0", false, i == 0 ? "leader" : formed ? "voter" : "non-voter", TimeSpan.Zero, formed, null)).ToList();
        return Task.FromResult(new RaftObservation(health, rows));
    }
}

/// <summary>Records diagnostics requests and writes a marker directory.</summary>
internal sealed class RecordingDiagnosticsWriter : IDiagnosticsWriter
{
    public ConcurrentQueue<DiagnosticsRequest> Requests { get; } = new();

    public Task<string> WriteAsync(DiagnosticsRequest request, CancellationToken ct)
    {
        Requests.Enqueue(request);
        var path = Path.Combine(request.BundleRoot, "diagnostics-test");
        Directory.CreateDirectory(path);
        return Task.FromResult(path);
    }
}

/// <summary>
/// A whole scripted world for up and down: kind, kubectl and helm answered by rules with per-step
/// latencies on a virtual clock, plus fake Docker, central Vault and Raft.
/// </summary>
internal sealed class OrchestrationWorld : IAsyncDisposable
{
    public const string Network = "multidc-test";
    public const string Session = "orch";

    private readonly ConcurrentDictionary<string, string> _loadBalancerIps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Ca, string Server)> _certificates = new(StringComparer.Ordinal);

    public OrchestrationWorld(StepLatencies? latencies = null, IReadOnlyList<string>? clusters = null)
    {
        Latencies = latencies ?? StepLatencies.Short;
        Clusters = clusters ?? MultiDcOptions.DefaultClusterNames;
        WorkDirectory = Path.Combine(Path.GetTempPath(), "multidc-orch-" + Guid.NewGuid().ToString("N")[..10]);
        Time = new VirtualTimeProvider();
        Runner = new ScriptedProcessRunner(Time);
        Kube = new ScriptedKubernetes(Time, Runner);
        Docker = new FakeEnvironmentDocker { Time = Time, PullLatency = image => Latencies.Images.PullTime(image) };
        Manifests = new FakeManifestSource(Time, WorkDirectory);
        CentralVaults = new FakeCentralVaults(Time, Session);
        Raft = new FakeRaftProbe(Time, Clusters.Count);
        Diagnostics = new RecordingDiagnosticsWriter();
        Options = new MultiDcOptions
        {
            ClusterNames = Clusters,
            Session = Session,
            NetworkName = Network,
            WorkDirectory = WorkDirectory,
        };
        Script();
    }

    public StepLatencies Latencies { get; }

    public IReadOnlyList<string> Clusters { get; }

    public string WorkDirectory { get; }

    public VirtualTimeProvider Time { get; }

    public ScriptedProcessRunner Runner { get; }

    /// <summary>The components' Kubernetes API, in the same call order as <see cref="Runner"/>.</summary>
    public ScriptedKubernetes Kube { get; }

    public FakeEnvironmentDocker Docker { get; }

    public FakeManifestSource Manifests { get; }

    public FakeCentralVaults CentralVaults { get; }

    public FakeRaftProbe Raft { get; }

    public RecordingDiagnosticsWriter Diagnostics { get; }

    public MultiDcOptions Options { get; set; }

    public PreflightReport PreflightReport { get; set; } = new([PreflightCheck.Ok("docker", "ok.")]);

    public ConcurrentQueue<PhaseEvent> Events { get; } = new();

    public UpSettings Settings { get; set; } = new() { PollInterval = TimeSpan.FromSeconds(2) };

    public IMultiDcEnvironment CreateEnvironment() => CreateEnvironment(Options);

    /// <summary>An environment over this world's ports with other options (those the CLI bound, say).</summary>
    public IMultiDcEnvironment CreateEnvironment(MultiDcOptions options) => MultiDcEnvironmentFactory.Create(
        options,
        new EnvironmentServices { TimeProvider = Time, DiagnosticsWriter = Diagnostics },
        new EnvironmentPorts
        {
            Runner = Runner,
            Kubernetes = Kube,
            Docker = Docker,
            CentralVaults = CentralVaults,
            RaftProbe = Raft,
            Manifests = Manifests,
            Preflight = _ => Task.FromResult(PreflightReport),
            Settings = Settings,
            Kind = new KindCliOptions { RetryDelay = TimeSpan.FromSeconds(3) },
        });

    public IProgress<PhaseEvent> Progress => new SynchronousProgress(Events);

    public string LoadBalancerIp(string cluster) => _loadBalancerIps.GetOrAdd(cluster, c => $"172.30.255.{(240 - (8 * Clusters.ToList().IndexOf(c))).ToString(CultureInfo.InvariantCulture)}");

    public string Kubeconfig(string cluster) => Path.Combine(WorkDirectory, "kube", $"{cluster}.kubeconfig");

    /// <summary>kubectl calls against <paramref name="cluster"/> whose command (after kubeconfig and context) starts with <paramref name="command"/>.</summary>
    public IReadOnlyList<ProcessInvocation> KubectlCalls(string cluster, params string[] command) =>
        [.. Runner.Invocations.Where(i => IsKubectl(i.Spec, cluster, command))];

    /// <summary>Kubernetes API calls of one operation (see <see cref="ScriptedKubernetes"/>) against <paramref name="cluster"/>.</summary>
    public IReadOnlyList<KubeApiCall> KubeCalls(string cluster, string operation) => Kube.CallsOf(cluster, operation);

    /// <summary>Server-side applies against <paramref name="cluster"/> whose manifest contains <paramref name="text"/>.</summary>
    public IReadOnlyList<KubeApiCall> Applies(string cluster, string text) =>
        [.. Kube.CallsOf(cluster, ScriptedKubernetes.Apply).Where(c => c.Manifest?.Contains(text, StringComparison.Ordinal) == true)];

    /// <summary>The Vault CR apply of a cluster.</summary>
    public KubeApiCall VaultApply(string cluster) => Applies(cluster, "kind: Vault").Single();

    public async ValueTask DisposeAsync()
    {
        await Time.DisposeAsync();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    internal static bool IsKubectl(ProcessSpec spec, string cluster, IReadOnlyList<string> command) =>
        Path.GetFileName(spec.FileName) == "kubectl"
        && spec.Arguments.Count >= 4 + command.Count
        && spec.Arguments[0] == "--kubeconfig"
        && spec.Arguments[3] == $"kind-{cluster}"
        && command.Select((c, i) => spec.Arguments[4 + i] == c).All(x => x);

    private static string ClusterOf(ProcessSpec spec) => spec.Arguments[3]["kind-".Length..];

    private static ProcessResult Ok(string stdout = "") => new(0, stdout, string.Empty, TimeSpan.Zero);

    private void Script()
    {
        // kind makes the node container first and then waits for the control plane, so the node exists
        // (and a teardown must find it) even when the create is cancelled: the container appears when the call starts.
        Runner.When(
            spec =>
            {
                if (Path.GetFileName(spec.FileName) != "kind" || spec.Arguments.Count < 4 || spec.Arguments[0] != "create")
                {
                    return false;
                }

                var name = spec.Arguments[3];
                var network = spec.Environment.GetValueOrDefault(KindCli.NetworkVariable) is { Length: > 0 } n ? n : "kind";
                Docker.AddKindNode(name, network, $"172.30.0.{(10 + Clusters.ToList().IndexOf(name)).ToString(CultureInfo.InvariantCulture)}");
                return true;
            },
            "kind create cluster").WithLatency(Latencies.KindCreate);
        Runner.On("kind", "delete", "cluster").Responds(spec =>
        {
            Docker.RemoveKindNode(spec.Arguments[3]);
            return Ok();
        });
        // One rule per image group, so each load takes what its bytes take (the newest matching rule wins).
        Runner.On("kind", "load", "docker-image").WithLatency(Latencies.ImageLoad);
        Runner.On("kind", "load", "image-archive").WithLatency(Latencies.ImageLoad);
        var groups = ClusterImages.For(Options);
        foreach (var group in new[] { groups.MetalLb, groups.Operator, groups.Vault })
        {
            Runner.When(s => Path.GetFileName(s.FileName) == "kind" && s.Arguments.Count > 2 && s.Arguments[1] == "docker-image" && s.Arguments[2] == group[0], $"kind load {group[0]}")
                .WithLatency(Latencies.Images.LoadTime(group) ?? Latencies.ImageLoad);
        }
        Runner.On("helm", "upgrade", "--install").WithLatency(Latencies.Operator);

        Kube.When(c => c.Operation == ScriptedKubernetes.ApplyFile && c.Name!.EndsWith("metallb-native.yaml", StringComparison.Ordinal), "metallb native")
            .WithLatency(Latencies.MetalLb / 2);
        Kube.On(ScriptedKubernetes.WaitDeployment).WithLatency(Latencies.MetalLb / 2);
        Kube.On(ScriptedKubernetes.WaitPods).Returns(_ => (IReadOnlyList<V1Pod>)
        [
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "speaker-x", NamespaceProperty = "metallb-system" },
                Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
            },
        ]);
        Kube.On(ScriptedKubernetes.Apply).Returns(call =>
        {
            if (call.Manifest!.Contains("kind: Vault", StringComparison.Ordinal))
            {
                if (call.Cluster == Clusters[0])
                {
                    CentralVaults.Initialise();
                }
                else
                {
                    Raft.FollowerApplied();
                }
            }

            return null;
        });
        Kube.On(ScriptedKubernetes.WaitLoadBalancer).WithLatency(Latencies.LoadBalancer).Returns(call => LoadBalancerIp(call.Cluster));
        Kube.On(ScriptedKubernetes.GetSecret).Returns(call => Secret(call.Name!, call.Name!["vault-".Length..^"-tls".Length]));
        Runner.When(s => IsKubectlAny(s, "port-forward"), "port-forward").Responds(spec =>
            Ok($"Forwarding from 127.0.0.1:{(41000 + Clusters.ToList().IndexOf(ClusterOf(spec))).ToString(CultureInfo.InvariantCulture)} -> 8200\n"));
    }

    private static bool IsKubectlAny(ProcessSpec spec, params string[] command) =>
        Path.GetFileName(spec.FileName) == "kubectl" && spec.Arguments.Count > 4 + command.Length - 1
        && command.Select((c, i) => spec.Arguments[4 + i] == c).All(x => x);

    /// <summary>The operator's TLS Secret of a cluster: its CA and a server certificate naming the cluster's LB IP.</summary>
    private V1Secret Secret(string name, string cluster)
    {
        var (ca, server) = _certificates.GetOrAdd(cluster, c => TestCertificates.Issue(LoadBalancerIp(c)));
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "u-1", ResourceVersion = "42" },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]>
            {
                ["ca.crt"] = Encoding.UTF8.GetBytes(ca),
                ["server.crt"] = Encoding.UTF8.GetBytes(server),
                ["server.key"] = "key"u8.ToArray(),
            },
        };
    }

    private sealed class SynchronousProgress(ConcurrentQueue<PhaseEvent> events) : IProgress<PhaseEvent>
    {
        public void Report(PhaseEvent value) => events.Enqueue(value);
    }
}

/// <summary>Scripted durations of the slow steps.</summary>
internal sealed record StepLatencies(TimeSpan KindCreate, TimeSpan ImageLoad, TimeSpan MetalLb, TimeSpan Operator, TimeSpan LoadBalancer)
{
    public static StepLatencies Short { get; } = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

    /// <summary>Image sizes and transfer rates; the default makes every pull take a second and every load <see cref="ImageLoad"/>.</summary>
    public ImageCosts Images { get; init; } = ImageCosts.Flat;
}

/// <summary>
/// What moving images costs on the virtual clock: a pull takes size / download rate on the host's one
/// download link (pulls queue on it); a kind load of a group takes a fixed overhead (docker save, node
/// exec) plus its size / load rate, and loads into different clusters run side by side.
/// </summary>
internal sealed record ImageCosts(IReadOnlyDictionary<string, double> SizesMb, double DownloadMbPerSecond, double LoadMbPerSecond, TimeSpan LoadOverhead)
{
    public static ImageCosts Flat { get; } = new(new Dictionary<string, double>(), 1, 1, TimeSpan.Zero);

    /// <summary>An image's modelled size; a model with sizes must know every image it is asked about, or it would model the wrong up.</summary>
    public double SizeOf(string image) =>
        SizesMb.TryGetValue(image, out var mb) ? mb
        : SizesMb.Count == 0 ? 1
        : throw new InvalidOperationException($"The image cost model has no size for '{image}'; add it to the benchmark's table.");

    public TimeSpan PullTime(string image) => TimeSpan.FromSeconds(SizeOf(image) / DownloadMbPerSecond);

    /// <summary>Null when no image of the group has a size: the flat <see cref="StepLatencies.ImageLoad"/> applies.</summary>
    public TimeSpan? LoadTime(IReadOnlyList<string> group) =>
        group.Any(SizesMb.ContainsKey) ? LoadOverhead + TimeSpan.FromSeconds(group.Sum(SizeOf) / LoadMbPerSecond) : null;
}

/// <summary>Pinned manifests "fetched" into the work directory after a scripted latency; records each fetch.</summary>
internal sealed class FakeManifestSource(TimeProvider time, string directory) : Harness.Provisioning.IPinnedManifestSource
{
    public ConcurrentQueue<Harness.Provisioning.PinnedManifest> Fetches { get; } = new();

    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(1);

    public Exception? Error { get; set; }

    public async Task<Harness.Provisioning.CachedManifest> GetAsync(Harness.Provisioning.PinnedManifest manifest, CancellationToken cancellationToken)
    {
        Fetches.Enqueue(manifest);
        await Task.Delay(Latency, time, cancellationToken);
        if (Error is not null)
        {
            throw Error;
        }

        var path = Path.Combine(directory, "tool-cache", manifest.DirectoryName, manifest.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "# stand-in for " + manifest, cancellationToken);
        return new Harness.Provisioning.CachedManifest(manifest, path, Downloaded: true);
    }
}

/// <summary>A CA and a server certificate signed by it, with the given IP and 127.0.0.1 in the SANs (as the operator issues them).</summary>
internal static class TestCertificates
{
    public static (string CaPem, string ServerPem) Issue(string ip)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=vault-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=vault", serverKey, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Parse(ip));
        sans.AddIpAddress(IPAddress.Loopback);
        sans.AddDnsName("vault");
        serverRequest.CertificateExtensions.Add(sans.Build());
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, 4]);
        return (ca.ExportCertificatePem(), server.ExportCertificatePem());
    }
}
