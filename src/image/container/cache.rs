//! A small cache of inflated blocks, sharded so that readers on different
//! threads rarely meet: a shard's lock is held only to look a block up or put
//! it in, never while a block is read or inflated.

use std::sync::{Arc, Mutex};

/// Shards: a power of two, so that a key's shard is a mask away.
const SHARDS: usize = 64;

/// Inflated blocks by key (a block number), evicted round-robin per shard.
#[derive(Debug)]
pub(crate) struct BlockCache {
    shards: Vec<Mutex<Shard>>,
    per_shard: usize,
}

#[derive(Debug, Default)]
struct Shard {
    entries: Vec<(u64, Arc<[u8]>)>,
    next: usize,
}

/// Most blocks kept per shard.
const PER_SHARD: usize = 8;
/// Most bytes the cache keeps, whatever the block size.
const MAX_BYTES: usize = 64 << 20;

impl BlockCache {
    /// An empty cache of blocks of `block_size` bytes: at most 512 blocks and
    /// at most 64 MiB (one block per shard for blocks of 1 MiB and more).
    pub(crate) fn new(block_size: u64) -> BlockCache {
        let fit = MAX_BYTES / SHARDS / (block_size.max(1) as usize).max(1);
        BlockCache {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            per_shard: fit.clamp(1, PER_SHARD),
        }
    }

    /// The block `key`, from the cache or from `load` (run without a lock).
    pub(crate) fn get_or_load(
        &self,
        key: u64,
        load: impl FnOnce() -> std::io::Result<Vec<u8>>,
    ) -> std::io::Result<Arc<[u8]>> {
        let shard = self.shards.get(mix(key) & (SHARDS - 1));
        if let Some(shard) = shard
            && let Ok(s) = shard.lock()
            && let Some((_, block)) = s.entries.iter().find(|(k, _)| *k == key)
        {
            return Ok(Arc::clone(block));
        }
        let block: Arc<[u8]> = load()?.into();
        if let Some(shard) = shard
            && let Ok(mut s) = shard.lock()
        {
            if s.entries.len() < self.per_shard {
                s.entries.push((key, Arc::clone(&block)));
            } else {
                let at = s.next % self.per_shard;
                if let Some(slot) = s.entries.get_mut(at) {
                    *slot = (key, Arc::clone(&block));
                }
                s.next = s.next.wrapping_add(1);
            }
        }
        Ok(block)
    }
}

/// Spreads consecutive block numbers over the shards.
fn mix(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_once_and_evicts() {
        let cache = BlockCache::new(4);
        let mut loads = 0;
        for _ in 0..3 {
            let b = cache
                .get_or_load(7, || {
                    loads += 1;
                    Ok(vec![7; 4])
                })
                .unwrap();
            assert_eq!(&*b, &[7, 7, 7, 7]);
        }
        assert_eq!(loads, 1);
        for k in 0..10_000 {
            cache.get_or_load(k, || Ok(vec![0; 1])).unwrap();
        }
        let total: usize = cache
            .shards
            .iter()
            .map(|s| s.lock().unwrap().entries.len())
            .sum();
        assert!(total <= SHARDS * PER_SHARD);
        // Large blocks: one per shard, 64 MiB at most.
        assert_eq!(BlockCache::new(2 << 20).per_shard, 1);
        assert_eq!(BlockCache::new(32 << 10).per_shard, 8);
        // A failed load is said, and not kept.
        assert!(
            cache
                .get_or_load(u64::MAX, || Err(std::io::Error::other("x")))
                .is_err()
        );
        assert!(cache.get_or_load(u64::MAX, || Ok(vec![1])).is_ok());
    }
}
