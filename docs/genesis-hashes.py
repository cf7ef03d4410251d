# Independent computation of Ember's mainnet and testnet genesis hashes, from DESIGN.md sections 2-6
# and 12 and the parameter table of docs/consensus.md; BLAKE3 written here from its paper and checked
# against ../shared/vectors/blake3-test-vectors.json. Shares no code with the Swift implementation.
import json, struct
IV=[0x6A09E667,0xBB67AE85,0x3C6EF372,0xA54FF53A,0x510E527F,0x9B05688C,0x1F83D9AB,0x5BE0CD19]
PERM=[2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8]
CHUNK_START,CHUNK_END,PARENT,ROOT=1,2,4,8
M=0xffffffff
def rotr(x,n): return ((x>>n)|(x<<(32-n)))&M
def g(s,a,b,c,d,x,y):
    s[a]=(s[a]+s[b]+x)&M; s[d]=rotr(s[d]^s[a],16); s[c]=(s[c]+s[d])&M; s[b]=rotr(s[b]^s[c],12)
    s[a]=(s[a]+s[b]+y)&M; s[d]=rotr(s[d]^s[a],8); s[c]=(s[c]+s[d])&M; s[b]=rotr(s[b]^s[c],7)
def compress(cv,block,counter,blen,flags):
    m=list(struct.unpack('<16I',block))
    s=cv[:]+IV[:4]+[counter&M,(counter>>32)&M,blen,flags]
    for r in range(7):
        g(s,0,4,8,12,m[0],m[1]);g(s,1,5,9,13,m[2],m[3]);g(s,2,6,10,14,m[4],m[5]);g(s,3,7,11,15,m[6],m[7])
        g(s,0,5,10,15,m[8],m[9]);g(s,1,6,11,12,m[10],m[11]);g(s,2,7,8,13,m[12],m[13]);g(s,3,4,9,14,m[14],m[15])
        m=[m[i] for i in PERM]
    return [s[i]^s[i+8] for i in range(8)]+[s[i+8]^cv[i] for i in range(8)]
def chunk_output(data,counter):
    # returns (cv_in, block, counter, blen, flags) of the last block, un-compressed
    cv=IV[:]; blocks=[data[i:i+64] for i in range(0,len(data),64)] or [b'']
    for i,b in enumerate(blocks):
        flags=(CHUNK_START if i==0 else 0)|(CHUNK_END if i==len(blocks)-1 else 0)
        padded=b+bytes(64-len(b))
        if i==len(blocks)-1: return (cv,padded,counter,len(b),flags)
        cv=compress(cv,padded,counter,64,flags)[:8]
def blake3(data):
    chunks=[data[i:i+1024] for i in range(0,len(data),1024)] or [b'']
    outs=[chunk_output(c,i) for i,c in enumerate(chunks)]
    def cv_of(o): return compress(*o)[:8]
    def parent(l,r): return (IV[:],struct.pack('<8I',*l)+struct.pack('<8I',*r),0,64,PARENT)
    def tree(nodes):  # nodes: list of outputs; split at largest power of two < n (chunks)
        if len(nodes)==1: return nodes[0]
        k=1
        while k*2<len(nodes): k*=2
        return parent(cv_of(tree(nodes[:k])),cv_of(tree(nodes[k:])))
    cv,block,counter,blen,flags=tree(outs)
    return struct.pack('<8I',*compress(cv,block,counter,blen,flags|ROOT)[:8])

vec=json.load(open('/work/shared/vectors/blake3-test-vectors.json'))
for case in vec['cases']:
    data=bytes(i%251 for i in range(case['input_len']))
    assert blake3(data).hex()==case['hash'][:64], case['input_len']
print('blake3: all',len(vec['cases']),'vectors pass')

def varint(v):
    out=bytearray()
    while v>=0x80: out.append((v&0x7f)|0x80); v>>=7
    out.append(v); return bytes(out)
u8=lambda v: struct.pack('>B',v); u32=lambda v: struct.pack('>I',v); u64=lambda v: struct.pack('>Q',v)
def bytestring(b): return varint(len(b))+b
def params_encoding(network,zeros,target_bits,lockup_ms,launch_ms):
    threshold=(1<<60).to_bytes(8,'big').lstrip(b'\0')
    out=b'ember/params/v1'+u8(network)+varint(1)+u64(64_000)+u8(zeros)+u32(target_bits)+varint(8)
    out+=bytestring(threshold)+u64(lockup_ms)+u64(launch_ms)+varint(10**10)+varint(10**15)+varint(10**27)
    for limit in [100_000, 4*1024*1024, 20_000, 1_024, 256, 65_536]: out+=varint(limit)
    return out+varint(17)
def genesis_hash(network,zeros,target_bits,lockup_ms,launch_ms):
    params_hash=blake3(params_encoding(network,zeros,target_bits,lockup_ms,launch_ms))
    output=varint(0)+u8(0)+bytes(32)+u64(0)+bytestring(varint(0)+params_hash)
    coinbase=u8(1)+varint(0)+varint(1)+output+varint(0)
    tx_root=blake3(b'\x00'+blake3(coinbase))
    header=bytes(24)+u8(1)+u64(0)+bytes(32)+tx_root+u64(launch_ms)+u32(target_bits)
    assert len(header)==109
    return blake3(blake3(header)).hex(), params_hash.hex()
# maxTarget(z) = 2^(256-z) - 1 rounded through the compact form (DESIGN section 6)
def compact(v):
    s=(v.bit_length()+7)//8
    m=v<<(8*(3-s)) if s<=3 else v>>(8*(s-3))
    return (s<<24)|m
for name,net,z,lockup,launch in [('mainnet',0,30,500*60_000,1_793_491_200_000),('testnet',1,20,10*60_000,1_790_812_800_000)]:
    bits=compact((1<<(256-z))-1)
    print(name,'maxTarget %08x'%bits,'genesis',*genesis_hash(net,z,bits,lockup,launch))
