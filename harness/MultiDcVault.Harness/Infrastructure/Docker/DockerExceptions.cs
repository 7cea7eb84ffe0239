using System.Net;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Base of every error this folder raises, so callers can catch "anything Docker" in one place.</summary>
internal abstract class DockerException : Exception
{
    protected DockerException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>No Docker engine answers: nothing found, wrong configuration, or the socket refused us.</summary>
internal sealed class DockerUnavailableException : DockerException
{
    public const string HowToStart =
        "Start Docker (Docker Desktop: open the app; Linux: `sudo systemctl start docker`), "
        + "or set DOCKER_HOST to the engine's socket (e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375).";

    public DockerUnavailableException(string problem, IReadOnlyList<string> placesLooked, Exception? inner = null)
        : base(Compose(problem, placesLooked), inner)
    {
        Problem = problem;
        PlacesLooked = placesLooked;
    }

    /// <summary>What went wrong, without the list of places and the fix.</summary>
    public string Problem { get; }

    /// <summary>Every endpoint source consulted, in order, with what was found there.</summary>
    public IReadOnlyList<string> PlacesLooked { get; }

    private static string Compose(string problem, IReadOnlyList<string> placesLooked)
    {
        var looked = placesLooked.Count == 0
            ? string.Empty
            : System.Environment.NewLine + "Looked at:" + System.Environment.NewLine
              + string.Join(System.Environment.NewLine, placesLooked.Select(p => "  - " + p));
        return problem + looked + System.Environment.NewLine + HowToStart;
    }
}

/// <summary>The daemon answered with an error status; carries the status and the daemon's own message.</summary>
internal class DockerApiException : DockerException
{
    public DockerApiException(HttpStatusCode statusCode, string daemonMessage, string operation, string? hint = null)
        : base(Compose(statusCode, daemonMessage, operation, hint))
    {
        StatusCode = statusCode;
        DaemonMessage = daemonMessage;
        Operation = operation;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>message</c> field of the daemon's error body (or the raw body when it had none).</summary>
    public string DaemonMessage { get; }

    /// <summary>What we asked, e.g. "POST /containers/create".</summary>
    public string Operation { get; }

    private static string Compose(HttpStatusCode status, string daemonMessage, string operation, string? hint) =>
        $"Docker engine refused {operation}: {(int)status} {status}: {daemonMessage}"
        + (hint is null ? string.Empty : " " + hint);
}

/// <summary>The image is not present in the engine's local store.</summary>
internal sealed class DockerImageNotFoundException : DockerApiException
{
    public DockerImageNotFoundException(string image, string daemonMessage, string operation)
        : base(HttpStatusCode.NotFound, daemonMessage, operation,
            $"Image '{image}' is not present locally: run `docker pull {image}` (or `docker load -i <file>` / "
            + "`kind load docker-image` on machines without a registry), then retry.")
    {
        Image = image;
    }

    public string Image { get; }
}

/// <summary>HTTP 409: a name already in use, or an operation that conflicts with the object's state.</summary>
internal sealed class DockerConflictException : DockerApiException
{
    public DockerConflictException(string daemonMessage, string operation)
        : base(HttpStatusCode.Conflict, daemonMessage, operation,
            "Another container or network holds that name, or the object is in a state that forbids this "
            + "(e.g. pausing a paused container). Remove the old one (`docker rm -f <name>` / `docker network rm <name>`, "
            + "or `multidc down`) or choose another name.")
    {
    }
}

/// <summary>A network's subnet overlaps an existing Docker network or a host route (often a VPN).</summary>
internal sealed class DockerSubnetOverlapException : DockerApiException
{
    public DockerSubnetOverlapException(HttpStatusCode statusCode, string daemonMessage, string operation, IReadOnlyList<string> subnets)
        : base(statusCode, daemonMessage, operation,
            $"Subnet(s) {string.Join(", ", subnets)} collide with an existing network; "
            + "list them with `docker network ls` / `ip route`, then pick a free subnet or remove the old network.")
    {
        Subnets = subnets;
    }

    public IReadOnlyList<string> Subnets { get; }
}
