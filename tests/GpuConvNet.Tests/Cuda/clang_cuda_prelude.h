// What NVRTC provides built in, declared for clang-14 compiling without the CUDA SDK (-nocudainc -nocudalib):
// the qualifiers, the index variables, the float math library, and the atomics the generator emits.
// The math functions stay external: -S only produces PTX, which is all this check needs.
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))
#include <__clang_cuda_builtin_vars.h>

extern "C" {
__device__ float expf(float);
__device__ float logf(float);
__device__ float sqrtf(float);
__device__ float tanhf(float);
__device__ float floorf(float);
__device__ float ceilf(float);
__device__ float fabsf(float);
__device__ float fmaxf(float, float);
__device__ float fminf(float, float);
__device__ float powf(float, float);
__device__ float sinf(float);
__device__ float cosf(float);
__device__ float truncf(float);
__device__ float rintf(float);
__device__ float fmaf(float, float, float);
__device__ float log2f(float);
__device__ float exp2f(float);
}

__device__ inline float __int_as_float(int x) { return __builtin_bit_cast(float, x); }
__device__ inline float atomicAdd(float* p, float v) { return __nvvm_atom_add_gen_f(p, v); }
__device__ inline int atomicAdd(int* p, int v) { return __nvvm_atom_add_gen_i(p, v); }
__device__ inline int atomicMax(int* p, int v) { return __nvvm_atom_max_gen_i(p, v); }
__device__ inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { return (unsigned int)__nvvm_atom_add_gen_i((int*)p, (int)v); }
__device__ inline unsigned int atomicMax(unsigned int* p, unsigned int v) { return __nvvm_atom_max_gen_ui(p, v); }
__device__ inline int atomicMin(int* p, int v) { return __nvvm_atom_min_gen_i(p, v); }
__device__ inline unsigned int atomicMin(unsigned int* p, unsigned int v) { return __nvvm_atom_min_gen_ui(p, v); }
__device__ inline int atomicAnd(int* p, int v) { return __nvvm_atom_and_gen_i(p, v); }
__device__ inline unsigned int atomicAnd(unsigned int* p, unsigned int v) { return (unsigned int)__nvvm_atom_and_gen_i((int*)p, (int)v); }
__device__ inline int atomicOr(int* p, int v) { return __nvvm_atom_or_gen_i(p, v); }
__device__ inline unsigned int atomicOr(unsigned int* p, unsigned int v) { return (unsigned int)__nvvm_atom_or_gen_i((int*)p, (int)v); }
__device__ inline int atomicXor(int* p, int v) { return __nvvm_atom_xor_gen_i(p, v); }
__device__ inline unsigned int atomicXor(unsigned int* p, unsigned int v) { return (unsigned int)__nvvm_atom_xor_gen_i((int*)p, (int)v); }
__device__ inline int atomicExch(int* p, int v) { return __nvvm_atom_xchg_gen_i(p, v); }
__device__ inline unsigned int atomicExch(unsigned int* p, unsigned int v) { return (unsigned int)__nvvm_atom_xchg_gen_i((int*)p, (int)v); }
__device__ inline float atomicExch(float* p, float v) { return __builtin_bit_cast(float, __nvvm_atom_xchg_gen_i((int*)p, __builtin_bit_cast(int, v))); }
__device__ inline int atomicCAS(int* p, int c, int v) { return __nvvm_atom_cas_gen_i(p, c, v); }
__device__ inline unsigned int atomicCAS(unsigned int* p, unsigned int c, unsigned int v) { return (unsigned int)__nvvm_atom_cas_gen_i((int*)p, (int)c, (int)v); }

// The warp shuffles, as CUDA defines them (width segments: c = (32 - width) << 8 | lane mask, 0 for up), on the NVVM
// builtins; 64-bit values shuffle as two halves.
#define GCN_SHUFFLE(name, kind, Offset, lanes) \
    __device__ inline int name(unsigned int m, int v, Offset o, int w = 32) { return __nvvm_shfl_sync_##kind##_i32(m, v, (int)o, ((32 - w) << 8) | (lanes)); } \
    __device__ inline unsigned int name(unsigned int m, unsigned int v, Offset o, int w = 32) { return (unsigned int)name(m, (int)v, o, w); } \
    __device__ inline float name(unsigned int m, float v, Offset o, int w = 32) { return __nvvm_shfl_sync_##kind##_f32(m, v, (int)o, ((32 - w) << 8) | (lanes)); } \
    __device__ inline long long name(unsigned int m, long long v, Offset o, int w = 32) \
    { \
        unsigned int low = name(m, (unsigned int)v, o, w), high = name(m, (unsigned int)((unsigned long long)v >> 32), o, w); \
        return (long long)(((unsigned long long)high << 32) | low); \
    } \
    __device__ inline unsigned long long name(unsigned int m, unsigned long long v, Offset o, int w = 32) { return (unsigned long long)name(m, (long long)v, o, w); }
GCN_SHUFFLE(__shfl_sync, idx, int, 0x1f)
GCN_SHUFFLE(__shfl_up_sync, up, unsigned int, 0)
GCN_SHUFFLE(__shfl_down_sync, down, unsigned int, 0x1f)
GCN_SHUFFLE(__shfl_xor_sync, bfly, int, 0x1f)
__device__ inline void __syncwarp(unsigned int mask = 0xffffffffu) { __nvvm_bar_warp_sync(mask); }
