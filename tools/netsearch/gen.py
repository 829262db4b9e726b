#!/usr/bin/env python3
"""Generates a variant of the convolutional digits model for the network search of issue 14.

Usage: gen.py NAME TOKEN...  writes $NS_MODELS/NAME.model (default /tmp/ns/m) and prints NAME and the
multiply-adds per image of its forward pass. Every variant keeps the sample's label-smoothed loss and
PyTorch-default uniform initializers (+-1/sqrt(fan_in)); pixels are scaled by 1/16.
Tokens:
  cC[kK][pP][sS][:POOL]  a conv2d with C maps, kernel K (3), padding P (K/2), stride S (1), then relu and
                         POOL: o (max 3x3 stride 2 padding 1, the sample's), a (the same as avg), m2 (max 2x2),
                         a2 (avg 2x2), s (max 3x3 stride 1 padding 1), or none; several c tokens stack
  hH                     a dense hidden layer of H units (relu) after the flattened features
  dP / dhP / dfP         dropout P before every dense layer / only before the last / only before the first
  iP                     dropout P on the input image
  lsS                    label smoothing S (0.1)
  ln / bn                layer_norm / batch_norm on the flattened features
Example: gen.py cand c16:m2 h128 df0.2  (now samples/models/digits_conv.model)
"""
import sys, math, os
OUT = os.environ.get('NS_MODELS', '/tmp/ns/m')
name, toks = sys.argv[1], sys.argv[2:]
where = 'all'
convs, hidden, drop, ls, norm, scale, idrop = [], [], 0.0, 0.1, None, True, 0.0
for t in toks:
    if t.startswith('c'):
        body, _, pool = t[1:].partition(':')
        k, p = 3, 1
        import re
        m = re.fullmatch(r'(\d+)(?:k(\d+))?(?:p(\d+))?(?:s(\d+))?', body)
        C = int(m.group(1)); k = int(m.group(2) or 3); p = int(m.group(3)) if m.group(3) is not None else (k//2)
        convs.append((C, k, p, pool or 'none', int(m.group(4) or 1)))
    elif t.startswith('h'): hidden.append(int(t[1:]))
    elif t.startswith('dh'): drop = float(t[2:]); where = 'last'
    elif t.startswith('df'): drop = float(t[2:]); where = 'first'
    elif t.startswith('d'): drop = float(t[1:])
    elif t.startswith('ls'): ls = float(t[2:])
    elif t in ('ln', 'bn'): norm = t
    elif t == 'std': scale = False
    elif t.startswith('i'): idrop = float(t[1:])
    else: raise SystemExit('bad token ' + t)
lines, params, macs = [], [], 0
H, Cin, cur = 8, 1, 'img'
for i, (C, k, p, pool, st) in enumerate(convs, 1):
    b = 1 / math.sqrt(Cin * k * k)
    params.append(f'  param  K{i} : f32[{C}, {Cin}, {k}, {k}] = uniform(-{b:.3f}, {b:.3f})')
    params.append(f'  param  c{i} : f32[{C}, 1, 1] = uniform(-{b:.3f}, {b:.3f})')
    Ho = (H + 2 * p - k) // st + 1
    macs += C * Cin * k * k * Ho * Ho
    opts = (f', stride={st}' if st > 1 else '') + (f', padding={p}' if p else '')
    e = f'relu(conv2d({cur}, K{i}{opts}) + c{i})'
    if pool == 'o': e = f'max_pool2d({e}, 3, stride=2, padding=1)'; Ho = (Ho - 1) // 2 + 1
    elif pool == 'a': e = f'avg_pool2d({e}, 3, stride=2, padding=1)'; Ho = (Ho - 1) // 2 + 1
    elif pool == 'm2': e = f'max_pool2d({e}, 2)'; Ho = Ho // 2
    elif pool == 'a2': e = f'avg_pool2d({e}, 2)'; Ho = Ho // 2
    elif pool == 's': e = f'max_pool2d({e}, 3, stride=1, padding=1)'
    elif pool != 'none': raise SystemExit('bad pool')
    lines.append(f'  h{i} = {e}   // [B, {C}, {Ho}, {Ho}]')
    cur, H, Cin = f'h{i}', Ho, C
F = Cin * H * H if convs else 64
flat = f'reshape({cur}, [B, {F}])' if convs else 'img'
lines.append(f'  f = {flat}')
cur = 'f'
if norm == 'ln':
    params.append(f'  param  gn : f32[{F}] = ones'); params.append(f'  param  bn_ : f32[{F}] = zeros')
    lines.append('  fn_ = layer_norm(f, gn, bn_)'); cur = 'fn_'
elif norm == 'bn':
    params.append(f'  param  gn : f32[{F}] = ones'); params.append(f'  param  bn_ : f32[{F}] = zeros')
    lines.append('  fn_ = batch_norm(f, gn, bn_)'); cur = 'fn_'
fin = F
for j, Hd in enumerate(hidden, 1):
    b = 1 / math.sqrt(fin)
    params.append(f'  param  V{j} : f32[{fin}, {Hd}] = uniform(-{b:.3f}, {b:.3f})')
    params.append(f'  param  v{j} : f32[{Hd}] = uniform(-{b:.3f}, {b:.3f})')
    src = f'dropout({cur}, {drop})' if drop and (where == 'all' or (where == 'first' and j == 1)) else cur
    lines.append(f'  g{j} = relu({src} @ V{j} + v{j})'); cur = f'g{j}'; macs += fin * Hd; fin = Hd
b = 1 / math.sqrt(fin)
params.append(f'  param  W : f32[{fin}, 10] = uniform(-{b:.3f}, {b:.3f})')
params.append(f'  param  b : f32[10] = uniform(-{b:.3f}, {b:.3f})')
macs += fin * 10
src = f'dropout({cur}, {drop})' if drop and (where in ('all', 'last') or not hidden) else cur
lines.append(f'  logits = {src} @ W + b')
img = 'reshape(x / 16, [B, 1, 8, 8])' if scale else 'reshape(x, [B, 1, 8, 8])'
if not convs: img = 'x / 16' if scale else 'x'
if idrop: img = f'dropout({img}, {idrop})'
out = [f'// generated: gen.py {name} {" ".join(toks)}  ({macs} multiply-adds per image)', f'model DigitsConv {{',
       f'  const smoothing = {ls}', '  dim B', '  input  x  : f32[B, 64]', '  input  y  : i32[B]'] + params + [f'  img = {img}'] + lines + [
       '  output probs = softmax(logits, axis=-1)',
       '  loss   nll   = (1 - smoothing) * mean(cross_entropy(logits, y))',
       '                 - smoothing * mean(log_softmax(logits, axis=-1))', '}']
import os; os.makedirs(OUT, exist_ok=True)
open(f'{OUT}/{name}.model', 'w').write('\n'.join(out) + '\n')
print(name, macs)
