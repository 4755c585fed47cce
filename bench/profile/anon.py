#!/usr/bin/env python3
import re, sys
# anon.py MAP CAPTURED_SOD W1a W1b W2a W2b < perf-script-text: unresolved leaf IPs inside the JVM code cache vs outside (oneDNN JIT)
m=[]
for l in open(sys.argv[1]):
    p=l.split(' ',2)
    try: m.append((int(p[0],16), int(p[1],16)))
    except: pass
lo=min(a for a,b in m); hi=max(a+b for a,b in m)
cap=float(sys.argv[2]); w=[float(x) for x in sys.argv[3:7]]
samples=[]; cur=None
for line in sys.stdin:
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if not line.startswith((' ','\t')):
        mm=re.match(r'\s*(.*?)\s+(\d+)\s+([\d.]+):', line); cur=[float(mm.group(3)), None, 0] if mm else None
    elif cur is not None and cur[1] is None:
        mm=re.match(r'\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$', line)
        if mm: cur[1]=(int(mm.group(1),16), mm.group(2), mm.group(3))
off=cap-samples[-1][0]
for name,(a,b) in (('single',w[0:2]),('local[2]',w[2:4])):
    part=[s for s in samples if a<=s[0]+off<=b and s[1]]
    unk=[s for s in part if s[1][1]=='[unknown]' and ('perf-' in s[1][2] or 'anon' in s[1][2] or s[1][2]=='[unknown]')]
    inside=sum(lo<=s[1][0]<hi for s in unk)
    print(f'{name}: {len(part)} samples; unresolved JIT-region leaves {len(unk)} ({100*len(unk)/len(part):.1f}%): inside the JVM code cache {inside}, outside (oneDNN JIT kernels) {len(unk)-inside} ({100*(len(unk)-inside)/len(part):.1f}% of all)')
