// Byte classes of JSON string scanning, 16 bytes at a time (SSE2: the x86_64 baseline; a portable fallback
// elsewhere). Header-only `static inline` functions, so the Swift optimizer inlines them into the scanner's loop.
// Used by EventStore's JSONScanner (docs/PERFORMANCE.md, "perf, session 6 (parse)").
#ifndef CJSONSCAN_H
#define CJSONSCAN_H

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// A bit per byte of the 16 bytes at `p` (bit k: byte k), set where the byte needs a string scanner's attention:
/// a quote `"`, a backslash, a control byte (below 0x20) or a non-ASCII byte (0x80 and above). 0: all 16 bytes are
/// plain ASCII string content. `p` needs no alignment; all 16 bytes must be readable.
static inline uint32_t cjs_string_attention16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    // Signed compare: bytes 0x80...0xFF are negative, so `v < 0x20` flags control and non-ASCII bytes at once.
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    return (uint32_t)_mm_movemask_epi8(m);
#else
    uint32_t mask = 0;
    for (int k = 0; k < 16; k++) {
        uint8_t c = p[k];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) mask |= 1u << k;
    }
    return mask;
#endif
}

/// A bit per byte of the 16 bytes at `p`, set where the byte is not ASCII (0x80 and above).
static inline uint32_t cjs_non_ascii16(const uint8_t *p) {
#if defined(__SSE2__)
    return (uint32_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)p));
#else
    uint32_t mask = 0;
    for (int k = 0; k < 16; k++) if (p[k] >= 0x80) mask |= 1u << k;
    return mask;
#endif
}

#endif
