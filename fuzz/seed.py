#!/usr/bin/env python3
"""Writes the fuzz seeds from the committed fixtures (fuzz/seeds/)."""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures")


def records(img, limit):
    with open(os.path.join(FIX, img), "rb") as f:
        data = f.read()
    bps, spc = struct.unpack_from("<H", data, 11)[0], data[13]
    mft = struct.unpack_from("<Q", data, 0x30)[0] * bps * spc
    out = []
    for n in range(limit):
        rec = data[mft + n * 1024 : mft + (n + 1) * 1024]
        if rec[:4] == b"FILE":
            out.append(rec)
    return data, mft, out


def unfixed(rec):
    """Attribute walk on a record with its fixups applied (seeds only)."""
    rec = bytearray(rec)
    usa = struct.unpack_from("<H", rec, 4)[0]
    for i in range(2):
        rec[(i + 1) * 512 - 2 : (i + 1) * 512] = rec[usa + 2 + 2 * i : usa + 4 + 2 * i]
    at = struct.unpack_from("<H", rec, 20)[0]
    while at + 8 <= len(rec):
        kind, length = struct.unpack_from("<II", rec, at)
        if kind == 0xFFFFFFFF or length < 16 or at + length > len(rec):
            return
        yield kind, bytes(rec[at : at + length])
        at += length


def write(target, name, data):
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    for img in ["c512.img", "basic.img", "reparse.img", "fragmented.img", "manylinks.img"]:
        data, mft, recs = records(img, 400)
        stem = img[:-4]
        for i, rec in enumerate(recs[:60]):
            write("record", f"{stem}-{i:03}", rec)
        write("bare_mft", stem, data[mft : mft + 96 * 1024])
        for i, rec in enumerate(recs):
            for kind, attr in unfixed(rec):
                if kind == 0xC0 and attr[8] == 0:
                    off, = struct.unpack_from("<H", attr, 20)
                    size, = struct.unpack_from("<I", attr, 16)
                    write("reparse", f"{stem}-{i:03}", attr[off : off + size])
                if attr[8] != 0:
                    runs, = struct.unpack_from("<H", attr, 32)
                    write("runs", f"{stem}-{i:03}-{kind:x}", attr[runs:])
    data, mft, _ = records("c512.img", 1)
    write("image", "boot", b"\x01" + data[:512])
    write("image", "mft", b"\x00" + data[mft : mft + 32 * 1024])


if __name__ == "__main__":
    main()
