#!/usr/bin/env python3
"""Lets TorchSharp's libLibTorchSharp.so load on a libstdc++ older than the one it was linked against.

TorchSharp 0.107's libLibTorchSharp.so was built with GCC 13, so it needs the version GLIBCXX_3.4.32, which Debian 12's
libstdc++ (GCC 12, up to GLIBCXX_3.4.30) lacks: the dynamic loader then refuses the library before any code runs. The
only symbol bound to that version is std::ios_base_library_init(), a marker that GCC 13's <iostream> references so
that the link pulls in a libstdc++ which constructs std::cout itself; no relocation uses it, nothing calls it, and on
an older libstdc++ the streams are constructed by the ios_base::Init objects of the libraries loaded before (libtorch
is built with an older GCC). So the need can be made weak: this script sets VER_FLG_WEAK on that one Vernaux entry
of the .gnu.version_r section, and the loader then accepts a missing version without complaint.

It checks first that every dynamic symbol tied to the version is a known marker and refuses otherwise (a real
function from the newer libstdc++ would fail at its first call instead), leaves every other entry as it is, does
nothing to a file that is already patched, and writes a new file beside the old one and renames it over (so a hard
link into the NuGet cache is never written through).

    python3 benchmarks/libtorch/weaken-glibcxx.py bin/Release/net10.0/libLibTorchSharp.so [--version GLIBCXX_3.4.32]
"""
import argparse
import os
import struct
import sys
import tempfile

SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
# Symbols that only mark a dependency on a libstdc++ version and are never called or relocated against.
MARKERS = {"_ZSt21ios_base_library_initv"}


class ElfError(Exception):
    pass


def sections(data):
    """The section headers as (type, offset, size, link, info, entsize), and the struct prefix of the file."""
    if data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    bits = {1: 32, 2: 64}.get(data[4])
    order = {1: "<", 2: ">"}.get(data[5])
    if bits is None or order is None:
        raise ElfError("unknown ELF class or byte order")
    if bits == 64:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        header = order + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        header = order + "IIIIIIIIII"
    if shoff == 0 or shnum == 0:
        raise ElfError("no section headers (stripped of them?)")
    out = []
    for i in range(shnum):
        _, kind, _, _, offset, size, link, info, _, entsize = struct.unpack_from(header, data, shoff + i * shentsize)
        out.append((kind, offset, size, link, info, entsize))
    return out, order, bits


def c_string(data, offset):
    return data[offset:data.index(b"\0", offset)].decode()


def weaken(data, version):
    """Sets VER_FLG_WEAK on the Vernaux entry of `version` in `data` (a bytearray); returns a line saying what it did."""
    table, order, bits = sections(data)
    verneed = [s for s in table if s[0] == SHT_GNU_VERNEED]
    if not verneed:
        raise ElfError("no .gnu.version_r section: the file needs no symbol versions")
    _, need_offset, _, strtab_index, need_count, _ = verneed[0]
    strings = table[strtab_index][1]
    found = None
    entry = need_offset
    for _ in range(need_count):
        _, aux_count, file_name, aux, next_need = struct.unpack_from(order + "HHIII", data, entry)
        aux_entry = entry + aux
        for _ in range(aux_count):
            _, flags, other, name, next_aux = struct.unpack_from(order + "IHHII", data, aux_entry)
            if c_string(data, strings + name) == version:
                found = (aux_entry, flags, other, c_string(data, strings + file_name))
            aux_entry += next_aux
        entry += next_need
    if found is None:
        return f"needs no {version}: left as it is"
    aux_entry, flags, version_index, library = found
    if flags & VER_FLG_WEAK:
        return f"{version} of {library} already weak"
    bound = symbols_of_version(data, table, order, bits, version_index)
    if not bound <= MARKERS:
        raise ElfError(f"{version} binds real symbols ({', '.join(sorted(bound - MARKERS))}): "
                       "a weak need would fail at their first call, so the file is left as it is")
    struct.pack_into(order + "H", data, aux_entry + 4, flags | VER_FLG_WEAK)
    return f"{version} of {library} made weak (bound only to {', '.join(sorted(bound)) or 'no symbol'})"


def symbols_of_version(data, table, order, bits, version_index):
    """Names of the dynamic symbols whose .gnu.version entry is `version_index` (the hidden bit aside)."""
    versym = [s for s in table if s[0] == SHT_GNU_VERSYM]
    if not versym:
        raise ElfError("no .gnu.version section to tell which symbols use the version")
    _, versym_offset, versym_size, dynsym_index, _, _ = versym[0]
    _, dynsym_offset, _, dynstr_index, _, dynsym_entsize = table[dynsym_index]
    dynstr = table[dynstr_index][1]
    names = set()
    for i in range(versym_size // 2):
        index, = struct.unpack_from(order + "H", data, versym_offset + 2 * i)
        if index & 0x7FFF == version_index:
            name, = struct.unpack_from(order + "I", data, dynsym_offset + i * dynsym_entsize)
            names.add(c_string(data, dynstr + name))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--version", default="GLIBCXX_3.4.32")
    args = parser.parse_args()
    for path in args.files:
        with open(path, "rb") as f:
            data = bytearray(f.read())
        original = bytes(data)
        try:
            message = weaken(data, args.version)
        except (ElfError, struct.error, IndexError, ValueError) as error:
            sys.exit(f"{path}: {error}")
        if data != original:
            directory = os.path.dirname(os.path.abspath(path))
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".weaken-")
            with os.fdopen(handle, "wb") as f:
                f.write(data)
            os.chmod(temporary, os.stat(path).st_mode)
            os.replace(temporary, path)
        print(f"{path}: {message}")


if __name__ == "__main__":
    main()
