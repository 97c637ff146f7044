//! CPU-heavy work (parsing and validating bodies, converting to BSON,
//! hashing passwords) off the async worker threads, a few jobs at a time.
//!
//! Validation of a 1 MiB body run on a runtime thread stalled `/health` for
//! 20 s (issue 9). A [`Pool`] runs each job on tokio's blocking threads, at
//! most `permits` at once; a job waits for a permit in a queue of bounded
//! length, and past it the request is answered `503 busy` at once instead of
//! piling up memory. The permit moves into the job, so a request abandoned
//! at its deadline still holds its slot until its work has really stopped.

use crate::error::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A bounded set of blocking workers with a bounded queue.
#[derive(Debug, Clone)]
pub struct Pool {
    name: &'static str,
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

impl Pool {
    /// `permits` jobs at once, `max_waiting` more queued; `name` is logged.
    pub fn new(name: &'static str, permits: usize, max_waiting: usize) -> Self {
        Self {
            name,
            permits: Arc::new(Semaphore::new(permits.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
        }
    }

    /// Runs `job` on a blocking thread once a permit is free; `503 busy`
    /// when the queue is full.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let queued = Queued::join(&self.waiting, self.max_waiting).ok_or_else(|| {
                    tracing::warn!(pool = self.name, "queue full");
                    ApiError::Busy
                })?;
                let permit = self.permits.clone().acquire_owned().await;
                drop(queued);
                permit.map_err(|_| ApiError::internal(format!("{} pool closed", self.name)))?
            }
        };
        tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("{} job: {e}", self.name)))
    }
}

/// A place in a pool's queue, given back on drop (also when the request is abandoned).
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn join(waiting: &'a AtomicUsize, max: usize) -> Option<Self> {
        waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Self(waiting))
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_full_queue_is_busy_and_the_queue_drains() {
        let pool = Pool::new("test", 1, 1);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || rx.recv().is_ok()).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let refused = pool.run(|| 3).await;
        assert!(matches!(refused, Err(ApiError::Busy)), "{refused:?}");
        let _ = tx.send(());
        assert!(matches!(running.await, Ok(Ok(true))));
        assert!(matches!(queued.await, Ok(Ok(2))));
        assert!(matches!(pool.run(|| 4).await, Ok(4)));
    }
}
