using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Diagnostics;

namespace MultiDcVault.Harness.Environment;

/// <summary>What an environment runs on; defaults are the real ones.</summary>
internal sealed record EnvironmentServices
{
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Directory searched for kind, kubectl and helm before PATH (e.g. provisioned tools).</summary>
    public string? ToolDirectory { get; init; }

    /// <summary>
    /// Root of the tool cache, where pinned manifests (MetalLB's) are kept between runs; null uses
    /// MULTIDC_TOOLS_DIR, then $XDG_CACHE_HOME/multidc/tools, then ~/.cache/multidc/tools.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Writes the diagnostics bundle when up fails (and for WriteDiagnosticsAsync). Null uses
    /// <see cref="MinimalDiagnosticsWriter"/> (reason and timing report only).
    /// </summary>
    public IDiagnosticsWriter? DiagnosticsWriter { get; init; }
}
