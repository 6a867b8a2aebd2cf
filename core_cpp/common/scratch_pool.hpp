// Scratch blocks of 64-bit words that a thread keeps between calls. A block of a megabyte that
// is freed goes back to the operating system, and the next call's block of the same size takes
// a page fault per 4 KiB again: 400 of them, about a third of a millisecond, in a balanced
// routing of 2048 x 2048 at k = 64, more than its phase C's direct moves. So a thread keeps the
// blocks it frees, up to kKeptBytes in all, for its next call; a request takes the smallest kept
// block that is large enough. Contents are not cleared: a block holds whatever its last user
// wrote. Nothing in a block outlives its use, so no result depends on what was kept.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace phase_router {

class ScratchWords {
public:
    // What a thread keeps, at most, between calls.
    static constexpr std::size_t kKeptBytes = std::size_t{16} << 20;

    explicit ScratchWords(std::size_t words) {
        std::vector<Block>& kept = pool();
        std::size_t best = kept.size();
        for (std::size_t b = 0; b < kept.size(); ++b)
            if (kept[b].words >= words && (best == kept.size() || kept[b].words < kept[best].words)) best = b;
        if (best < kept.size()) {
            block_ = std::move(kept[best]);
            kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(best));
        } else {
            block_.words = words == 0 ? 1 : words;
            block_.data.reset(new std::uint64_t[block_.words]);
        }
    }

    ~ScratchWords() {
        if (block_.words * 8 > kKeptBytes) return;
        std::vector<Block>& kept = pool();
        kept.push_back(std::move(block_));
        // Over the limit: the smallest blocks go first, the large ones save the most faults.
        for (;;) {
            std::size_t total = 0, smallest = 0;
            for (std::size_t b = 0; b < kept.size(); ++b) {
                total += kept[b].words * 8;
                if (kept[b].words < kept[smallest].words) smallest = b;
            }
            if (total <= kKeptBytes) break;
            kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(smallest));
        }
    }

    ScratchWords(const ScratchWords&) = delete;
    ScratchWords& operator=(const ScratchWords&) = delete;

    std::uint64_t* data() { return block_.data.get(); }
    const std::uint64_t* data() const { return block_.data.get(); }

private:
    struct Block {
        std::unique_ptr<std::uint64_t[]> data;
        std::size_t words = 0;
    };

    static std::vector<Block>& pool() {
        thread_local std::vector<Block> kept;
        return kept;
    }

    Block block_;
};

}  // namespace phase_router
