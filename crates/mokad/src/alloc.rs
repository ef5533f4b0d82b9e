//! The global allocator: mimalloc, called so that its fast path is taken.
//!
//! The `mimalloc` crate passes every Rust allocation to `mi_malloc_aligned`. In mimalloc 3 that
//! function takes its fast path only while the size class's current page has a free block at
//! the wanted alignment; otherwise it goes to a generic path that, for a size that is not a
//! power of two, over-allocates by the alignment (a 56-byte block becomes a 64-byte one) and
//! never refills that size class's page. Most of mokad's allocations (keys, values, moka's
//! entries) are such sizes. Every block mimalloc hands out is aligned to at least 8 bytes, so
//! plain `mi_malloc` serves all requests that need no more; the rest keep the aligned calls.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// Alignment every mimalloc block has (its smallest block and size-class step are one word).
const MIN_ALIGN: usize = std::mem::size_of::<usize>();

/// mimalloc as the global allocator, without the aligned slow path for ordinary alignments.
pub struct MiMalloc;

unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MIN_ALIGN {
            mi::mi_malloc(layout.size()) as *mut u8
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MIN_ALIGN {
            mi::mi_zalloc(layout.size()) as *mut u8
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr as *mut c_void);
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MIN_ALIGN {
            mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
        } else {
            mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
        }
    }
}

/// The allocator as INFO's `mem_allocator` names it, like Redis's `jemalloc-5.3.0`.
pub fn name() -> String {
    // MI_MALLOC_VERSION: major, then two digits of minor, then two of patch (30302 is 3.3.2).
    let version = unsafe { mi::mi_version() };
    format!("mimalloc-{}.{}.{}", version / 10000, version / 100 % 100, version % 100)
}

/// Least time between two collections on one thread.
const COLLECT_EVERY: std::time::Duration = std::time::Duration::from_millis(10);

/// Takes back, on the calling thread, the blocks other threads have freed from its pages, at
/// most once per `COLLECT_EVERY`. Called by the runtime's worker threads when they go idle.
///
/// A block freed by a thread other than the one that allocated it goes on its page's
/// thread-free list, which only the owning thread empties: when it next looks for a page, or
/// in a full collection every 10,000 slow-path allocations. The janitor deletes expired keys
/// (allocated by the workers) on its own thread, so after a million keys expire together a
/// worker that mostly serves reads had millions of such blocks to take back at once: a single
/// GET stalled for 0.5-0.8 s inside `mi_theap_collect`. Collecting often keeps each
/// collection small.
pub fn collect_if_due() {
    use std::cell::Cell;
    use std::time::Instant;
    thread_local! {
        static LAST: Cell<Option<Instant>> = const { Cell::new(None) };
    }
    let now = Instant::now();
    if LAST.get().is_some_and(|last| now.duration_since(last) < COLLECT_EVERY) {
        return;
    }
    LAST.set(Some(now));
    // SAFETY: mi_collect only touches the calling thread's heap.
    unsafe { mi::mi_collect(false) };
}
