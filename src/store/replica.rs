//! A replica's store: an in-memory copy of a remote SPARQL store, brought up to it through the
//! store's change feed or, when the feed cannot, by pulling the whole dataset again.

use super::feed::{self, Changed};
use super::remote::RemoteConfig;
use super::{Store, StoreError, remote, version};
use std::sync::Arc;

/// What bringing a replica's copy up to its store did.
#[derive(Debug)]
pub enum Synced {
    /// Nothing: the copy was current (or there is no remote store).
    Current,
    /// Applied the store's change feed, which touched these.
    Applied(Changed),
    /// Pulled the whole dataset again.
    Pulled,
}

impl Store {
    /// A replica's view of a remote SPARQL store: a copy of what it holds, pulled now (an empty
    /// store stays empty until `initialize`).
    pub fn connect(config: RemoteConfig) -> Result<Self, StoreError> {
        let store = Self {
            inner: oxigraph::store::Store::new()?,
            remote: Some(Arc::new(remote::Remote::new(config))),
            disk: None,
        };
        store.sync()?;
        Ok(store)
    }

    /// The remote store's query endpoint, for a replica.
    pub fn remote_endpoint(&self) -> Option<&str> {
        self.remote.as_deref().map(remote::Remote::endpoint)
    }

    /// Brings a replica's copy up to the remote store's dataset version: by applying the changes
    /// the store's feed holds since the copy's version, or, when the feed cannot (the copy fell
    /// further behind than the feed reaches, a write left no entry, a write of this replica's
    /// own raced the others), by pulling the whole dataset. Fails fast when the store cannot be
    /// reached. The embedded store is always current.
    pub fn sync(&self) -> Result<Synced, StoreError> {
        let Some(remote) = &self.remote else {
            return Ok(Synced::Current);
        };
        let remote_head = remote.head()?;
        let local_head = self.head_value()?;
        // A store govgraph never wrote has no head: pulled once, then only on restart.
        let current = match &remote_head {
            Some(_) => remote_head == local_head,
            None => !self.inner.is_empty()? || remote.is_empty()?,
        };
        if current {
            return Ok(Synced::Current);
        }
        let number = |head: &Option<String>| version::change_number(head.as_deref()?);
        if let (Some(local), Some(remote_number)) = (number(&local_head), number(&remote_head))
            && remote_number > local
            && let Some(changed) = self.apply_feed(remote, local, remote_number)?
        {
            return Ok(Synced::Applied(changed));
        }
        self.pull(remote)?;
        Ok(Synced::Pulled)
    }

    /// Applies the feed's entries from change `local + 1` to at least `remote_number`, all in one
    /// transaction; `None` (nothing changed) when the feed does not hold them all or they do not
    /// lead from this copy's head.
    fn apply_feed(
        &self,
        remote: &remote::Remote,
        local: u64,
        remote_number: u64,
    ) -> Result<Option<Changed>, StoreError> {
        let entries = remote.entries_after(local)?;
        let contiguous = entries
            .iter()
            .enumerate()
            .all(|(offset, entry)| entry.number == local + 1 + offset as u64);
        if !contiguous || entries.last().is_none_or(|last| last.number < remote_number) {
            return Ok(None);
        }
        let mut changed = Changed::default();
        let mut transaction = self.inner.start_transaction()?;
        if !feed::apply(&mut transaction, &entries, &mut changed)? {
            return Ok(None);
        }
        transaction.commit()?;
        tracing::debug!(entries = entries.len(), "applied the store's change feed");
        Ok(Some(changed))
    }

    /// Replaces the copy with the whole dataset, less the feed (a copy applies changes, it does
    /// not serve them).
    fn pull(&self, remote: &remote::Remote) -> Result<(), StoreError> {
        let (pulled, _) = remote.pull()?;
        let quads = pulled.iter().filter(|quad| !quad.as_ref().is_ok_and(feed::in_feed));
        if self.inner.is_empty()? {
            // Nothing to replace atomically: load the first copy in bulk.
            let mut loader = self.inner.bulk_loader();
            loader.load_ok_quads::<StoreError, StoreError>(quads.map(|quad| Ok(quad?)))?;
            loader.commit()?;
            return Ok(());
        }
        let mut transaction = self.inner.start_transaction()?;
        transaction.clear()?;
        for quad in quads {
            transaction.insert(&quad?);
        }
        transaction.commit()?;
        Ok(())
    }
}
