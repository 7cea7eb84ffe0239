namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>How to install each CLI the harness drives, for error messages and the doctor command.</summary>
internal static class ToolInstallHints
{
    public static string For(string tool) => Path.GetFileNameWithoutExtension(tool).ToLowerInvariant() switch
    {
        "kind" => "Install kind >= v0.32 (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), e.g. `go install sigs.k8s.io/kind@latest` or the release binary, and put it on PATH.",
        "kubectl" => "Install kubectl >= v1.28 (https://kubernetes.io/docs/tasks/tools/#kubectl) and put it on PATH.",
        "helm" => "Install helm >= v3.12 (https://helm.sh/docs/intro/install/), e.g. the get-helm-3 script or your package manager, and put it on PATH.",
        "docker" => "Install Docker (https://docs.docker.com/engine/install/ or Docker Desktop) and put the docker CLI on PATH.",
        _ => $"Install '{tool}' and put it on PATH (or into the harness tool directory).",
    };
}
