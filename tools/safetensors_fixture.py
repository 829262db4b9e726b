#!/usr/bin/env python3
"""Writes a safetensors file the way PyTorch users produce them, as a fixture for the Java reader.

The Java test dev.adjoint.runtime.io.SafetensorsTest reads it and checks every value, and checks
that Adjoint's writer, given the same tensors in the file's order, produces the same bytes.

Hugging Face's `safetensors.torch.save_file` is not packaged in Debian, so this script applies the
format rules of its reference serializer (safetensors/src/tensor.rs, `prepare`) to tensors made by
Debian's PyTorch:
  - tensors sorted by dtype, larger dtype first (F64 before F32 before I32), then by name;
  - the header is compact JSON (no spaces): "__metadata__" first, then each tensor as
    {"dtype":..,"shape":[..],"data_offsets":[begin,end]} in that order;
  - the header is padded with spaces to a multiple of 8 bytes and preceded by its length as a
    little-endian u64; the data follows, little-endian, tensor after tensor, no gaps.

Regenerate with:

    apt-get install python3-torch
    /usr/bin/python3 tools/safetensors_fixture.py runtime/src/test/resources/safetensors/torch.safetensors
"""
import json
import struct
import sys

import torch

DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.int32: "I32"}
# Rank of each dtype in the reference implementation's enum (only the order matters).
RANK = {"I32": 9, "F32": 11, "F64": 12}


def save(tensors, metadata, path):
    items = sorted(tensors.items(), key=lambda kv: (-RANK[DTYPES[kv[1].dtype]], kv[0]))
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, t in items:
        data = t.contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main(path):
    layer = torch.nn.Linear(3, 2)  # a real PyTorch module's state, with values we can recompute
    with torch.no_grad():
        layer.weight.copy_(torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.25 - 0.5)
        layer.bias.copy_(torch.tensor([0.1, -2.5e-3]))
    tensors = {name: p.detach() for name, p in layer.state_dict().items()}
    tensors["scale"] = torch.tensor(3.141592653589793, dtype=torch.float64)   # a scalar, shape []
    tensors["history"] = torch.tensor([[1e-300, -0.0], [float("inf"), 2.0]], dtype=torch.float64)
    tensors["labels"] = torch.tensor([0, 9, -1, 2147483647], dtype=torch.int32)
    tensors["empty"] = torch.zeros(0, 3, dtype=torch.float32)
    save(tensors, {"format": "pt"}, path)


if __name__ == "__main__":
    main(sys.argv[1])
