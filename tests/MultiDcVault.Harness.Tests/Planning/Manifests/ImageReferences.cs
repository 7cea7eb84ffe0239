namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>
/// Finds every container image a rendered manifest names: values of keys "image" or "*Image" (Vault CR:
/// image, bankVaultsImage, statsdImage, ...) and Helm-style image maps {repository, tag}.
/// </summary>
internal static class ImageReferences
{
    /// <summary>(where, image) for every image in <paramref name="document"/>; a Helm map yields "repository:tag".</summary>
    public static IEnumerable<(string Path, string Image)> Find(object? document, string path = "$")
    {
        switch (document)
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    var here = $"{path}.{key}";
                    if (IsImageKey(key) && value is string image)
                    {
                        yield return (here, image);
                    }
                    else if (key == "image" && value is Dictionary<string, object?> helm && helm.TryGetValue("repository", out var repository))
                    {
                        // The vault-operator chart joins "{repository}:{tag}"; a missing tag means the chart's default.
                        yield return (here, helm.GetValueOrDefault("tag") is string { Length: > 0 } tag ? $"{repository}:{tag}" : $"{repository}");
                    }
                    else
                    {
                        foreach (var found in Find(value, here))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case List<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var found in Find(list[i], $"{path}[{i}]"))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    private static bool IsImageKey(string key) => key == "image" || key.EndsWith("Image", StringComparison.Ordinal);
}
