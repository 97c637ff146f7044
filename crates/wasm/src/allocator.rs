//! The WebAssembly module's allocator: power-of-two size classes, one free
//! list each, carved from pages that `memory.grow` adds.
//!
//! Why not the default (dlmalloc): a validation allocates and frees many
//! small strings and maps and nothing lives across calls, so splitting and
//! coalescing buy nothing; a free-list pop or push is faster, and the code is
//! ~7 KB smaller, which the browser pays for. A freed block only ever serves
//! its own class again and memory is never returned (WebAssembly memory
//! cannot shrink): the module's memory is its peak need, rounded up to
//! powers of two.
//!
//! The module is single-threaded (wasm32-unknown-unknown without the
//! `atomics` feature), which is what makes the unsynchronised state sound.

#[cfg(target_feature = "atomics")]
compile_error!("the size-class allocator is single-threaded; build without the `atomics` feature");

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_grow;
use core::cell::UnsafeCell;
use core::ptr::{self, null_mut};

const PAGE: usize = 65_536;
/// The smallest block: room for the free list's next pointer, and 16-byte alignment.
const MIN_CLASS: u32 = 4;
const CLASSES: usize = usize::BITS as usize;

struct State {
    /// The head of each class's free list; a free block holds the next pointer.
    free: [*mut u8; CLASSES],
    /// The carving region: `next..end`, inside pages this allocator grew.
    next: usize,
    end: usize,
}

/// The allocator; see the module documentation.
pub struct SizeClasses(UnsafeCell<State>);

// SAFETY: the module runs on one thread (no `atomics`, checked above), so the
// state is never accessed concurrently.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    /// An allocator with no memory yet.
    pub const fn new() -> Self {
        Self(UnsafeCell::new(State {
            free: [null_mut(); CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

impl Default for SizeClasses {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of a layout: log2 of its block size.
#[inline(always)]
fn class_of(size: usize, align: usize) -> Option<usize> {
    let block = size.max(align).checked_next_power_of_two()?;
    Some(block.trailing_zeros().max(MIN_CLASS) as usize)
}

impl State {
    /// A new block of class `class`, carved from the region (grown if needed).
    fn carve(&mut self, class: usize) -> *mut u8 {
        if class >= CLASSES - 1 {
            return null_mut();
        }
        let size = 1usize << class;
        let align = size.min(PAGE);
        let mut start = (self.next + align - 1) & !(align - 1);
        if start.checked_add(size).is_none_or(|end| end > self.end) {
            // Enough pages for the block and its alignment, whatever `next` is.
            let pages = (size + align).div_ceil(PAGE);
            let previous = memory_grow(0, pages);
            if previous == usize::MAX {
                return null_mut();
            }
            let base = previous * PAGE;
            if base != self.end {
                // Not contiguous with the old region (the first growth): start afresh.
                self.next = base;
            }
            self.end = base + pages * PAGE;
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }
}

// SAFETY: blocks are carved once from memory only this allocator grows, each
// is at least as large and as aligned as its layout needs (class_of), and a
// block is on a free list only between its dealloc and its next alloc.
unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return null_mut();
        };
        // SAFETY: single-threaded, and no reference to the state outlives this call.
        let state = unsafe { &mut *self.0.get() };
        let head = state.free[class];
        if head.is_null() {
            return state.carve(class);
        }
        // SAFETY: a free block's first word holds the next free block of its class.
        state.free[class] = unsafe { head.cast::<*mut u8>().read() };
        head
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return;
        };
        // SAFETY: as in alloc; `block` came from alloc with this layout, so it
        // belongs to `class` and has room for the next pointer.
        unsafe {
            let state = &mut *self.0.get();
            block.cast::<*mut u8>().write(state.free[class]);
            state.free[class] = block;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = class_of(layout.size(), layout.align());
        if old.is_some() && old == class_of(new_size, layout.align()) {
            return block; // the block is already large enough
        }
        // SAFETY: GlobalAlloc's contract for realloc: `layout` fits `block`, the
        // new layout is valid; both blocks are live while copying.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
            moved
        }
    }
}
