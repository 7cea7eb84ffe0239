using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Sockets;
using System.Net;
using System.Security.Cryptography;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>A download server on 127.0.0.1 serving in-memory files by path; records every request. Never the internet.</summary>
internal sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    private LocalFileServer(HttpListener listener, Uri baseUrl)
    {
        _listener = listener;
        BaseUrl = baseUrl;
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Path below the base URL (no leading slash) to content.</summary>
    public Dictionary<string, byte[]> Files { get; } = [];

    public List<string> Requests { get; } = [];

    /// <summary>Path to the path it answers 302 with, as GitHub release downloads do (to objects.githubusercontent.com).</summary>
    public Dictionary<string, string> Redirects { get; } = [];

    public static LocalFileServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            var prefix = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return new LocalFileServer(listener, new Uri(prefix));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath.TrimStart('/');
            lock (Requests)
            {
                Requests.Add(path);
            }

            if (Redirects.TryGetValue(path, out var target))
            {
                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = new Uri(BaseUrl, target).AbsoluteUri;
            }
            else if (Files.TryGetValue(path, out var content))
            {
                context.Response.StatusCode = 200;
                context.Response.ContentLength64 = content.Length;
                await context.Response.OutputStream.WriteAsync(content);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed HttpListener looks its endpoint up again on close and can meet "Address already in use"
            // when another test's socket took the port meanwhile; the listener is closed either way.
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

internal static class ToolArtifacts
{
    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A small shell script standing in for a CLI binary.</summary>
    public static byte[] Executable(string name) => System.Text.Encoding.UTF8.GetBytes($"#!/bin/sh\necho \"{name} fake $*\"\n");

    /// <summary>A .tar.gz laid out like helm's: &lt;dir&gt;/&lt;name&gt; plus a LICENSE.</summary>
    public static byte[] TarGz(params (string Path, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
            }
        }

        return buffer.ToArray();
    }
}
