//! Serving connections: a cap on how many are open, and deadlines for the
//! time a connection may hold a slot without a request being served.
//!
//! `axum::serve` accepts without limit and keeps every connection until the
//! client leaves, so 300 sockets that never send a byte made `/health`
//! unreachable (issue 9). Here each connection holds a permit of
//! `MAX_CONNECTIONS` (past it, new clients wait in the kernel's backlog) and
//! a watchdog closes it when it idles longer than it may:
//! - no request has started and no byte came yet (a fresh connection), or a
//!   request's headers started arriving but are not complete (slowloris):
//!   `HEADER_TIMEOUT_MS`, counted from the connection's start or the first
//!   byte of the headers;
//! - kept alive after a response, silent: `IDLE_TIMEOUT_MS` from the last
//!   byte written.
//!
//! A request being handled is never cut here: the request deadline
//! (`REQUEST_TIMEOUT_MS`, a middleware) bounds it and answers for it.
//! hyper's own `header_read_timeout` is left off because it re-arms between
//! kept-alive requests, which would make the two settings one.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// The connection-level limits.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections at most; more wait to be accepted.
    pub max_connections: usize,
    /// A request's headers must arrive within this (from the connection's
    /// start, or from their first byte on a kept-alive connection).
    pub header_timeout: Duration,
    /// A kept-alive connection with nothing in flight is closed after this.
    pub idle_timeout: Duration,
}

/// How long in-flight requests get to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// After an accept error (out of file descriptors), wait before retrying
/// instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish (up to 10 s).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed; retrying");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, app, limits, stop).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a permit until it ends: all of them back means all closed.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(all)).await;
    Ok(())
}

/// What the watchdog knows about one connection.
struct Activity {
    born: Instant,
    /// Milliseconds since `born` of the last read or write.
    last_io: AtomicU64,
    /// Milliseconds since `born` when the current request's first byte came
    /// (0: none yet since the last response).
    head_started: AtomicU64,
    /// A request is being handled (http1: one at a time).
    in_flight: AtomicUsize,
    /// At least one request was handled.
    served: AtomicBool,
}

impl Activity {
    fn new() -> Self {
        Self {
            born: Instant::now(),
            last_io: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            served: AtomicBool::new(false),
        }
    }

    fn now_ms(&self) -> u64 {
        // At least 1, so that 0 can mean "not yet".
        u64::try_from(self.born.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    fn read(&self, bytes: usize) {
        let now = self.now_ms();
        self.last_io.store(now, Ordering::Relaxed);
        if bytes > 0 && self.in_flight.load(Ordering::Acquire) == 0 {
            let _ = self
                .head_started
                .compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.last_io.store(self.now_ms(), Ordering::Relaxed);
    }

    /// How long until the connection may be closed, or `None` to close it now.
    fn remaining(&self, limits: &ConnectionLimits) -> Option<Duration> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            // The request deadline bounds a request; look again later.
            return Some(limits.header_timeout.min(limits.idle_timeout));
        }
        let now = self.now_ms();
        let head = self.head_started.load(Ordering::Acquire);
        let (since, limit) = if head > 0 {
            (head, limits.header_timeout)
        } else if self.served.load(Ordering::Acquire) {
            (self.last_io.load(Ordering::Relaxed), limits.idle_timeout)
        } else {
            (0, limits.header_timeout)
        };
        let limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        let due = since.saturating_add(limit_ms);
        (due > now).then(|| Duration::from_millis(due - now))
    }
}

/// Marks a request in flight for as long as it lives.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn enter(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        activity.head_started.store(0, Ordering::Release);
        Self(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.served.store(true, Ordering::Release);
        self.0.wrote();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let service_activity = activity.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        let guard = InFlight::enter(&service_activity);
        let app = app.clone();
        async move {
            let response = app.oneshot(req).await;
            drop(guard);
            response
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        let wait = activity.remaining(&limits);
        let Some(wait) = wait else {
            // Idle past its deadline with nothing in flight: drop the socket.
            tracing::debug!(%peer, "closing an idle or slow connection");
            return;
        };
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep(wait) => {}
            changed = stop.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The socket, telling the watchdog when bytes move.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &result {
            self.activity.read(buf.filled().len() - before);
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &result {
            if *n > 0 {
                self.activity.wrote();
            }
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = &result {
            if *n > 0 {
                self.activity.wrote();
            }
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: 4,
            header_timeout: Duration::from_millis(1000),
            idle_timeout: Duration::from_millis(5000),
        }
    }

    #[test]
    fn a_fresh_connection_gets_the_header_timeout() {
        let a = Activity::new();
        let left = a.remaining(&limits()).unwrap_or_default();
        assert!(left <= Duration::from_millis(1000) && left > Duration::from_millis(900));
    }

    #[test]
    fn a_kept_alive_connection_gets_the_idle_timeout_until_bytes_come() {
        let a = Arc::new(Activity::new());
        drop(InFlight::enter(&a));
        let left = a.remaining(&limits()).unwrap_or_default();
        assert!(left > Duration::from_millis(4000), "{left:?}");
        a.read(10);
        let left = a.remaining(&limits()).unwrap_or_default();
        assert!(left <= Duration::from_millis(1000), "{left:?}");
    }

    #[test]
    fn a_request_in_flight_is_never_due() {
        let a = Arc::new(Activity::new());
        let _guard = InFlight::enter(&a);
        assert!(a.remaining(&limits()).is_some());
    }
}
