// Step 7's ISA-specific kernels, compiled once per CPU path by draw_paths.cpp (no include guard
// on purpose). PHASE_ROUTER_KERNEL_NS names the path's namespace; PHASE_ROUTER_KERNEL_AVX2
// (BMI2 pdep, POPCNT, 32-byte vectors) and PHASE_ROUTER_KERNEL_AVX512 (16-draw blocks, 64-byte
// mark packing, register compress) switch on the wider code. Every variant consumes the same
// draws and writes the same bits: the vector forms are exact rewrites of the scalar loops.

namespace phase_router {
namespace {
namespace PHASE_ROUTER_KERNEL_NS {

// Defined inside the path's target region, so the AVX2 and AVX-512 paths count with POPCNT
// (common/bitops.hpp's popcount64 was compiled before any region, for every CPU).
inline int count_ones(std::uint64_t x) {
#if defined(PHASE_ROUTER_KERNEL_AVX2)
    return __builtin_popcountll(x);
#else
    return popcount64(x);
#endif
}

// ranks[w] = bits of marks[64w .. 64w+63] (byte b -> bit b), then marks cleared: one pass over
// n bytes instead of a read-modify-write of the bitmap per draw. `ranks` has room for
// words_for_bits(n) words; marks beyond n are zero, so whole 64-byte blocks can be read.
void marks_to_bitmap(std::uint8_t* marks, std::uint32_t n, std::uint64_t* ranks) {
    const std::size_t words = words_for_bits(n);
    for (std::size_t w = 0; w < words; ++w) {
        const std::uint8_t* block = marks + w * 64;
#if defined(PHASE_ROUTER_KERNEL_AVX512)
        ranks[w] = _mm512_test_epi8_mask(_mm512_loadu_si512(block), _mm512_set1_epi8(1));
#elif defined(PHASE_ROUTER_KERNEL_AVX2)
        // Marks are 0/1: shifting each byte's bit 0 to bit 7 lets movemask collect them.
        const __m256i lo = _mm256_slli_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)), 7);
        const __m256i hi = _mm256_slli_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32)), 7);
        ranks[w] = static_cast<std::uint32_t>(_mm256_movemask_epi8(lo)) |
                   (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(hi))) << 32);
#else
        std::uint64_t bits = 0;
        for (unsigned b = 0; b < 8; ++b) {
            std::uint64_t eight;  // eight 0/1 bytes; the multiply gathers their low bits (byte i -> bit i)
            std::memcpy(&eight, block + 8 * b, 8);
            bits |= ((eight * 0x0102040810204080ULL) >> 56) << (8 * b);
        }
        ranks[w] = bits;
#endif
    }
    std::memset(marks, 0, words * 64);
}

// sample_ranks for n <= 64, where the whole set fits in one register: no memory traffic at all
// (MoE rows have a few candidates; reading bytes just stored would stall on store forwarding).
inline std::uint64_t ranks_in_register(std::uint64_t row_key, std::uint32_t n, std::uint32_t count) {
    std::uint32_t j = n - count;
    std::uint64_t counter = 0;
    std::uint64_t set = 0;
    while (j < n) {
        const std::uint64_t word = splitmix(row_key, counter++);
        const std::uint32_t draws[2] = {static_cast<std::uint32_t>(word >> 32), static_cast<std::uint32_t>(word)};
        for (const std::uint32_t draw : draws) {
            std::uint32_t v;
            if (j == n || !lemire_accept(draw, j + 1, &v)) continue;
            set |= 1ULL << (((set >> v) & 1) ? j : v);
            ++j;
        }
    }
    return set;
}

#if defined(PHASE_ROUTER_KERNEL_AVX512)
// Words counter .. counter+7 of the row's stream and their draws as Floyd's steps j .. j+15 take
// them (bounds j+1 .. j+16): v_high[w] from word w's high half, v_low[w] from its low half.
// Returns whether any draw might be rejected, in which case the values are not to be used.
inline bool draw_block(std::uint64_t row_key, std::uint64_t counter, std::uint32_t j, std::uint64_t* v_high,
                       std::uint64_t* v_low) {
    const __m512i word_index = _mm512_setr_epi64(1, 2, 3, 4, 5, 6, 7, 8);
    const __m512i bound_step = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFLL);
    __m512i z = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(row_key)),
                                 _mm512_mullo_epi64(_mm512_add_epi64(word_index, _mm512_set1_epi64(static_cast<long long>(counter))),
                                                    _mm512_set1_epi64(static_cast<long long>(kGolden))));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64(static_cast<long long>(0xBF58476D1CE4E5B9ULL)));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64(static_cast<long long>(0x94D049BB133111EBULL)));
    z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
    const __m512i bound_high = _mm512_add_epi64(_mm512_set1_epi64(j + 1), bound_step);
    const __m512i bound_low = _mm512_add_epi64(bound_high, _mm512_set1_epi64(1));
    const __m512i m_high = _mm512_mul_epu32(_mm512_srli_epi64(z, 32), bound_high);
    const __m512i m_low = _mm512_mul_epu32(z, bound_low);
    const __mmask8 risky = _mm512_cmplt_epu64_mask(_mm512_and_si512(m_high, low32), bound_high) |
                           _mm512_cmplt_epu64_mask(_mm512_and_si512(m_low, low32), bound_low);
    _mm512_store_si512(v_high, _mm512_srli_epi64(m_high, 32));
    _mm512_store_si512(v_low, _mm512_srli_epi64(m_low, 32));
    return risky != 0;
}
#endif

void sample_ranks(std::uint64_t row_key, std::uint32_t n, std::uint32_t count, std::uint8_t* marks,
                  std::uint64_t* ranks) {
    // Floyd: for j = n-count .. n-1, draw v uniform on [0, j]; keep v, or j if v is already kept.
    // The draws are DrawStream's, consumed here two per SplitMix64 word (high half first).
    if (n <= 64) {
        ranks[0] = ranks_in_register(row_key, n, count);
        return;
    }
    std::uint32_t j = n - count;
    std::uint64_t counter = 0;
    auto keep = [&](std::uint32_t v) {
        // Floyd adds j when v is already in the set, else v. The same set: write whether v was
        // in at j (unmarked until now: every earlier draw was at most its own j, below this
        // one), then mark v (a no-op when it was in; in this order v = j ends marked). Both
        // addresses are known before the load, so no store waits on it to find its place and
        // no branch guesses a collision.
        const std::uint8_t taken = marks[v];
        marks[j] = taken;
        marks[v] = 1;
        ++j;
    };
    auto consume = [&](std::uint32_t draw) {
        std::uint32_t v;  // uniform on [0, j]
        if (lemire_accept(draw, j + 1, &v)) keep(v);  // rejected: the next draw retries this j
    };
#if defined(PHASE_ROUTER_KERNEL_AVX512)
    // Blocks of 8 SplitMix64 words = 16 draws whose bounds are j+1 .. j+16 if none is rejected.
    // The arithmetic runs in vector lanes; a block in which any draw could be rejected (low half
    // of draw * bound below bound: probability ~2^-28 per block) is replayed by the exact path.
    while (n - j >= 16) {
        alignas(64) std::uint64_t v_high[8], v_low[8];
        const bool risky = draw_block(row_key, counter, j, v_high, v_low);
#ifdef PHASE_ROUTER_REPLAY_ALL_BLOCKS
        const bool replay = true;  // test build: exercise the exact path on every block
#else
        const bool replay = risky;
#endif
        if (replay) {
            for (unsigned w = 0; w < 8; ++w) {
                const std::uint64_t word = splitmix(row_key, counter + w);
                consume(static_cast<std::uint32_t>(word >> 32));
                if (j < n) consume(static_cast<std::uint32_t>(word));
            }
        } else {
            for (unsigned w = 0; w < 8; ++w) {
                keep(static_cast<std::uint32_t>(v_high[w]));
                keep(static_cast<std::uint32_t>(v_low[w]));
            }
        }
        counter += 8;
    }
#endif
    while (j < n) {
        const std::uint64_t word = splitmix(row_key, counter++);
        consume(static_cast<std::uint32_t>(word >> 32));
        if (j < n) consume(static_cast<std::uint32_t>(word));
    }
    marks_to_bitmap(marks, n, ranks);
}

#if defined(PHASE_ROUTER_KERNEL_AVX2) && !defined(PHASE_ROUTER_KERNEL_AVX512)
// lanes[b] = the offsets 0..7 of the set bits of byte b, ascending, then zeros.
struct ByteBitOffsets {
    alignas(32) std::int32_t lanes[256][8];
};
constexpr ByteBitOffsets byte_bit_offsets() {
    ByteBitOffsets table{};
    for (int b = 0; b < 256; ++b) {
        int n = 0;
        for (int bit = 0; bit < 8; ++bit) {
            if ((b >> bit) & 1) table.lanes[b][n++] = bit;
        }
    }
    return table;
}
constexpr ByteBitOffsets kByteBitOffsets = byte_bit_offsets();
#endif

// For each candidate word, `picked` holds the marks of its ranks, one bit per set bit of the
// word, lowest first.
std::size_t emit_ranked(const std::uint64_t* candidates, std::size_t words, const std::uint64_t* ranks,
                        bool invert, std::int32_t* out, std::size_t capacity) {
    std::size_t n = 0;
    std::size_t rank = 0;
    for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t bits = candidates[w];
        if (bits == 0) continue;
        const unsigned count = static_cast<unsigned>(count_ones(bits));
        std::uint64_t picked = extract_bits(ranks, rank, count);
        if (invert) picked = ~picked & (~0ULL >> (64 - count));
        rank += count;
        const std::int32_t base = static_cast<std::int32_t>(w * 64);
#if defined(PHASE_ROUTER_KERNEL_AVX2)
        // Deposit the picks onto the candidate bits: the picked targets of this word.
        std::uint64_t hits = _pdep_u64(picked, bits);
        // The vector stores below write whole vectors, up to 64 slots past n. Near the end of
        // the room, a word of few picks (every word of a row with a small k) writes them one
        // by one; one of many goes to a spill buffer, and only the picks are copied out.
        const bool room = n + 64 <= capacity;
        if (!room && count_ones(hits) <= 8) {
            for (; hits != 0; hits &= hits - 1) out[n++] = base + ctz64(hits);
            continue;
        }
        alignas(64) std::int32_t spill[64];
        std::int32_t* const to = room ? out + n : spill;
        std::size_t found = 0;
#if defined(PHASE_ROUTER_KERNEL_AVX512)
        // Four 16-lane compresses in registers, each stored whole (the spare lanes land in
        // slots later stores overwrite); the memory form of vpcompressd is slow on some CPUs.
        const __m512i lanes = _mm512_add_epi32(_mm512_set1_epi32(base),
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        for (unsigned q = 0; q < 4; ++q) {
            const auto mask = static_cast<__mmask16>(hits >> (16 * q));
            const __m512i ids = _mm512_add_epi32(lanes, _mm512_set1_epi32(static_cast<int>(16 * q)));
            _mm512_storeu_si512(to + found, _mm512_maskz_compress_epi32(mask, ids));
            found += static_cast<std::size_t>(count_ones(mask));
        }
#else
        // A byte of hits at a time: its set bits' offsets come from the table as one 8-lane
        // store (the spare lanes land in slots the next byte overwrites), so a word costs
        // eight stores however many of its candidates are picked.
        for (unsigned q = 0; q < 8; ++q) {
            const unsigned byte = static_cast<unsigned>(hits >> (8 * q)) & 0xFF;
            const __m256i offsets = _mm256_load_si256(reinterpret_cast<const __m256i*>(kByteBitOffsets.lanes[byte]));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + found),
                                _mm256_add_epi32(offsets, _mm256_set1_epi32(base + static_cast<int>(8 * q))));
            found += static_cast<std::size_t>(count_ones(byte));
        }
#endif
        if (!room) std::memcpy(out + n, spill, found * sizeof(std::int32_t));
        n += found;
#else
        (void)capacity;
        // Branch-free: always store the current candidate, advance only when it is picked.
        // `picked` is non-zero while a picked candidate remains, so n stays below capacity.
        while (picked != 0) {
            out[n] = base + ctz64(bits);
            n += picked & 1;
            picked >>= 1;
            bits &= bits - 1;
        }
#endif
    }
    return n;
}

// The kept ranks of a row of k < n <= 64 candidates, as a bitmap: Floyd's draws of the kept
// ranks, or the complement of the dropped ones. The drawn set is left in ranks[0], where
// unselected_routes reads it.
inline std::uint64_t picked_in_register(std::uint64_t row_key, std::uint32_t n, std::uint32_t k, std::uint64_t* ranks) {
    const std::uint32_t dropped = n - k;
    const bool draw_kept = k <= dropped;
    ranks[0] = ranks_in_register(row_key, n, draw_kept ? k : dropped);
    return draw_kept ? ranks[0] : ~ranks[0] & (~0ULL >> (64 - n));
}

// Step 7 for one bitmap row, as selection/random.hpp's select_routes states it: every candidate
// when there are at most k, else the ranks Floyd draws (kept or dropped), then -1 padding. One
// call per row, so a row of one candidate word (MoE rows: E <= 64) runs its draws in a register
// and deposits its picks without leaving this function.
std::uint32_t select_bitmap(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                            std::uint32_t k, std::uint64_t row_key, std::uint8_t* marks, std::uint64_t* ranks,
                            std::int32_t* out) {
    std::size_t written = 0;
    if (candidate_count <= k) {
        for (std::size_t w = 0; w < words; ++w) {
            for (std::uint64_t bits = candidates[w]; bits != 0; bits &= bits - 1) {
                out[written++] = static_cast<std::int32_t>(w * 64 + ctz64(bits));
            }
        }
    } else if (words == 1) {
        // One candidate word: its ranks are its bits in order, so the picks deposit straight
        // onto them.
        std::uint64_t picked = picked_in_register(row_key, candidate_count, k, ranks);
#if defined(PHASE_ROUTER_KERNEL_AVX2)
        for (std::uint64_t hits = _pdep_u64(picked, candidates[0]); hits != 0; hits &= hits - 1) {
            out[written++] = static_cast<std::int32_t>(ctz64(hits));
        }
#else
        for (std::uint64_t bits = candidates[0]; picked != 0; bits &= bits - 1, picked >>= 1) {
            out[written] = static_cast<std::int32_t>(ctz64(bits));
            written += picked & 1;
        }
#endif
    } else if (candidate_count <= 64) {
        // A few candidates spread over many words (MoE rows with more than 64 experts): list
        // them in one pass, then write the picked ranks' entries.
        std::int32_t listed[64];
        std::size_t n = 0;
        for (std::size_t w = 0; w < words; ++w) {
            for (std::uint64_t bits = candidates[w]; bits != 0; bits &= bits - 1) {
                listed[n++] = static_cast<std::int32_t>(w * 64 + ctz64(bits));
            }
        }
        std::uint64_t picked = picked_in_register(row_key, candidate_count, k, ranks);
        for (; picked != 0; picked &= picked - 1) out[written++] = listed[ctz64(picked)];
    } else {
        const std::uint32_t dropped = candidate_count - k;
        const bool draw_kept = k <= dropped;
        sample_ranks(row_key, candidate_count, draw_kept ? k : dropped, marks, ranks);
        written = emit_ranked(candidates, words, ranks, !draw_kept, out, k);
    }
    for (std::size_t x = written; x < k; ++x) out[x] = -1;
    return static_cast<std::uint32_t>(written);
}

}  // namespace PHASE_ROUTER_KERNEL_NS
}  // namespace
}  // namespace phase_router
