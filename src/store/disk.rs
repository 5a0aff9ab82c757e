//! A store on disk: opening its RocksDB directory, the room writes must leave on the disk, and
//! the memtables flushed every so many commits.

use super::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where an on-disk store lives, how much room writes leave on its disk, and how many commits
/// its memtables hold.
pub(super) struct Disk {
    path: PathBuf,
    reserve: AtomicU64,
    unflushed: AtomicU64,
}

/// Commits after which the memtables are flushed to disk. Oxigraph sizes RocksDB's memtables
/// for bulk loads (128 MiB per column family, eleven families): under a steady stream of small
/// writes they would grow for hours before RocksDB flushed them on its own, and resident memory
/// with them. Flushing a few megabytes every so many commits keeps memory flat for a few
/// milliseconds of work.
const COMMITS_PER_FLUSH: u64 = 256;

/// Room left on the disk below which writes are refused, unless set otherwise.
pub const DEFAULT_MIN_FREE_SPACE: u64 = 128 * 1024 * 1024;

impl Store {
    /// Opens (creating it if needed) the RocksDB store in `path`.
    #[cfg(feature = "rocksdb")]
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(path).map_err(|source| StoreError::DataDir {
            path: path.to_owned(),
            source,
        })?;
        // RocksDB would create its files lazily and fail later with a less helpful message.
        let probe = path.join(".govgraph-write-test");
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|source| StoreError::DataDir {
                path: path.to_owned(),
                source,
            })?;
        let inner = oxigraph::store::Store::open(path).map_err(|source| {
            let message = source.to_string();
            if message.contains("LOCK") || message.to_ascii_lowercase().contains("lock") {
                StoreError::Locked { path: path.to_owned() }
            } else {
                StoreError::Open {
                    path: path.to_owned(),
                    source,
                }
            }
        })?;
        Ok(Self {
            inner,
            remote: None,
            disk: Some(std::sync::Arc::new(Disk {
                path: path.to_owned(),
                reserve: DEFAULT_MIN_FREE_SPACE.into(),
                unflushed: 0.into(),
            })),
        })
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Err(StoreError::NoDiskStore { path: path.to_owned() })
    }

    /// The same store opened again, with empty caches. After a start that read all of it,
    /// RocksDB's block caches hold what the reading passed through (the string table's alone
    /// keeps 128 MiB: every term was decoded), which a restart would not; opened again, a first
    /// start goes on as a restart would. Only for the sole holder of an on-disk store (another
    /// would keep it locked); any other store comes back as it was.
    pub fn reopen(self) -> Result<Self, StoreError> {
        let Some(disk) = self.disk.as_ref().filter(|_| self.remote.is_none()) else {
            return Ok(self);
        };
        let (path, reserve) = (disk.path.clone(), disk.reserve.load(Ordering::Relaxed));
        drop(self);
        let store = Self::open(&path)?;
        store.set_min_free_space(reserve);
        Ok(store)
    }

    /// Sets the room writes must leave on the disk holding the store (`--min-free-space`).
    pub fn set_min_free_space(&self, bytes: u64) {
        if let Some(disk) = &self.disk {
            disk.reserve.store(bytes, Ordering::Relaxed);
        }
    }

    /// Refuses a write while the disk holding the store has less room than the reserve: a
    /// write that fills the disk would leave RocksDB unable to write until it is reopened, while
    /// one refused here can go through as soon as space is freed.
    pub(super) fn check_room(&self) -> Result<(), StoreError> {
        let Some(disk) = &self.disk else {
            return Ok(());
        };
        let reserve = disk.reserve.load(Ordering::Relaxed);
        // A file system that cannot say how full it is is not refused for it.
        let Ok(stats) = rustix::fs::statvfs(&disk.path) else {
            return Ok(());
        };
        let available = stats.f_bavail.saturating_mul(stats.f_frsize);
        if available < reserve {
            return Err(StoreError::StorageFull(format!(
                "{} MiB left on the disk holding {}, less than the {} MiB writes must leave (--min-free-space)",
                available / (1024 * 1024),
                disk.path.display(),
                reserve / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// Counts a commit; flushes the memtables every `COMMITS_PER_FLUSH` of them.
    pub(super) fn committed(&self) -> Result<(), StoreError> {
        let Some(disk) = &self.disk else {
            return Ok(());
        };
        let commits = disk.unflushed.fetch_add(1, Ordering::Relaxed) + 1;
        if commits.is_multiple_of(COMMITS_PER_FLUSH) {
            self.flush()?;
        }
        Ok(())
    }

    /// Flushes pending writes to disk (RocksDB's write-ahead log already makes commits durable).
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        self.inner.flush()?;
        Ok(())
    }
}
