using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests;

/// <summary>A user's file that cannot be read is told in the user's words, naming it and what to do.</summary>
[TestClass]
public sealed class UserFileTests
{
    [TestMethod]
    public void AFileThatIsThere_IsReadAsTheReaderReadsIt()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("notes.txt", "abc"u8.ToArray());

        Assert.AreEqual("abc", UserFile.Read(path, "notes", "write some", File.ReadAllText));
    }

    [TestMethod]
    public void AMissingFileOrFolder_IsNamedWithWhatToDo()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("nowhere/model.safetensors");

        var error = Assert.ThrowsExactly<UserInputException>(() => UserFile.Read(missing, "checkpoint", "train one first", File.ReadAllBytes));

        Assert.AreEqual($"checkpoint {missing} does not exist; train one first", error.Message);
        Assert.IsInstanceOfType<DirectoryNotFoundException>(error.InnerException);
    }

    [TestMethod]
    public void AnUnreadablePath_SaysWhyInOneLine_WithoutAKind()
    {
        using var dir = new TempDirectory();

        // A folder where a file is expected: the system refuses to read it as one.
        var error = Assert.ThrowsExactly<UserInputException>(() => UserFile.Read(dir.Path, kind: null, "unused", File.ReadAllBytes));

        StringAssert.StartsWith(error.Message, $"{dir.Path} cannot be read: ");
        StringAssert.EndsWith(error.Message, "; check that it is a readable file");
        Assert.DoesNotContain("\n", error.Message);
    }

    [TestMethod]
    public void TheReadersOwnUserInputException_PassesUnchanged()
    {
        var own = new UserInputException("x.png: no digit in it");

        var error = Assert.ThrowsExactly<UserInputException>(() => UserFile.Read<int>("x.png", null, "unused", _ => throw own));

        Assert.AreSame(own, error);
    }
}
