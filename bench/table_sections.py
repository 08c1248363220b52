#!/usr/bin/env python3
"""Bytes per event of an earshot table cache file (format 10), by part, from the file's sections.

Usage: bench/table_sections.py CACHE_DIR_OR_FILE.table

Walks section 0 (the metadata) as CacheFormat.encode writes it and names every array: its bytes are the
section's length (large arrays) or its inline bytes (small ones). Prints bytes per event per part, the table's
total (everything but the file list and the builder state) and the builder state's.
"""
import os, struct, sys

def main(path):
    if os.path.isdir(path):
        tables = [os.path.join(path, f) for f in os.listdir(path) if f.endswith('.table')]
        path = max(tables, key=os.path.getsize)
    data = open(path, 'rb').read()
    magic, version = data[:16], struct.unpack_from('<I', data, 16)[0]
    assert magic.startswith(b'EARSHOT-TABLE'), magic
    header = 40
    n = struct.unpack_from('<q', data, header)[0]
    toc = [struct.unpack_from('<qqQ', data, header + 8 + 24 * i) for i in range(n)]
    meta_off, meta_len, _ = toc[0]
    meta = data[meta_off:meta_off + meta_len]
    pos = 0
    def i64():
        nonlocal pos
        v = struct.unpack_from('<q', meta, pos)[0]; pos += 8; return v
    def u8():
        nonlocal pos
        v = meta[pos]; pos += 1; return v
    def string():
        nonlocal pos
        k = i64(); s = meta[pos:pos + k].decode(); pos += k; return s
    def strings():
        return [string() for _ in range(i64())]
    parts = {}
    def array(part, stride):
        nonlocal pos
        count = i64(); section = i64()
        if section == -1:
            size = count * stride; pos += size
        else:
            size = toc[section][1]
            assert size == count * stride, (part, size, count, stride)
        parts[part] = parts.get(part, 0) + size
        return count
    string()  # key
    for _ in range(i64()):  # files
        string(); pos += 8 * 7 + 2 + 16
    strings()
    array('strings', 8); array('strings', 1)
    rows = i64()
    # Row columns (EventTable.rowColumns).
    packed = u8()
    if packed:
        i64(); array('time', 4); array('time', 1)
    else:
        array('time', 8)
    def coded(name, stride):
        width = i64()
        if width == 0:
            array(name, stride)
        else:
            array(name, stride); array(name, width)
    array('person', 4); array('kind', 1)
    coded('name', 4); coded('section', 4); coded('timezone', 4)
    array('sequence', 4)
    coded('consent', 8); coded('consent', 8)
    for _ in range(i64()):
        string(); array('properties', 8); array('properties', 8)
    array('persons', 4); array('persons', 1); array('persons', 4)
    array('traits', 4); array('traits', 4); array('traits', 8)
    strings(); strings(); strings()
    for _ in range(i64()):
        string(); array('lists', 4); array('lists', 1)
        for _ in range(i64()):
            string(); array('lists', 8)
    array('answers', 4); array('answers', 4); array('answers', 8)
    # Stats (skipped field by field).
    for _ in range(i64()):
        string(); pos += 8 + 1 + 8 * 6
    pos += 8 * 7
    kinds = strings(); pos += 8 + 8 * len(kinds)
    for _ in range(i64()):
        pos += 16; string(); string()
    strings()
    for name, stride in [('builder: raw ids', 4), ('builder: raw ids', 4), ('builder: links', 4), ('builder: links', 8),
                         ('builder: links', 4), ('builder: links', 4), ('builder: dedupe keys', 8), ('builder: dedupe keys', 8)]:
        array(name, stride)
    pos += 17
    array('builder: cleared rows', 4)
    assert pos == len(meta), (pos, len(meta))
    print(f'{path}: format {version}, {rows:,} events, file {len(data) / rows:.1f} B/event')
    table = 0
    for part, size in parts.items():
        print(f'  {part:24} {size / rows:7.2f} B/event  {size / 1e6:9.1f} MB')
        if not part.startswith('builder'):
            table += size
    print(f'  {"table":24} {table / rows:7.2f} B/event  {table / 1e6:9.1f} MB')

if __name__ == '__main__':
    main(sys.argv[1])
