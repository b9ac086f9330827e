/* SPDX-License-Identifier: MIT */
/*
 * Building the kernels for more than one instruction set.
 *
 * A hot kernel is written once, as plain C in an always-inline body, and instantiated twice:
 * for the baseline target and, on x86-64, with the compiler targeting AVX2 (the same C code,
 * vectorised wider). Where the compiler does not find the fast form, the AVX2 build is
 * written with intrinsics instead, doing the same arithmetic. A few kernels also have an
 * AVX-512 build (DSP_ISA_AVX512, 512-bit registers and the instructions AVX2 lacks, such as
 * 64-bit arithmetic shifts); the others serve AVX-512 CPUs with their AVX2 build
 * (dsp_isa_column()). Tables keyed by format and enum dsp_isa hold them; the kernel for the
 * running CPU is picked at prepare time (STYLE rule 8), and the tests compare every variant
 * with a reference computed independently or with the plain C build. A variant exists only
 * where bench-dsp-kernels shows it paying.
 */
#ifndef VADSP_DSP_KERNELS_SIMD_H
#define VADSP_DSP_KERNELS_SIMD_H

#define DSP_ALWAYS_INLINE	inline __attribute__((always_inline))

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DSP_HAVE_AVX2		1
#define DSP_TARGET_AVX2		__attribute__((target("avx2")))
#define DSP_TARGET_AVX512	__attribute__((target("avx2,avx512f,avx512vl,avx512dq,avx512bw")))
#else
#define DSP_HAVE_AVX2		0
#define DSP_TARGET_AVX2
#define DSP_TARGET_AVX512
#endif

#endif /* VADSP_DSP_KERNELS_SIMD_H */
