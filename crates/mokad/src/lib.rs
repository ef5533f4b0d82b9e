//! The mokad server: accepts connections and runs each one's requests through the command
//! dispatcher. [`run`] is a library function so that tests can start a server on port 0; the
//! binary only loads settings, binds, and calls it.

mod blocked;
pub mod config;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf, BytesMut};
use mokad_commands::{execute, ClientInfo, ReplyMode, Server, Session};
use mokad_resp::{Limits, Reply, RequestParser};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tracing::{debug, info, warn};

/// Bytes read from a socket at a time (more when a large request is arriving).
const READ_CHUNK: usize = 16 * 1024;

/// Largest reply buffer kept between batches; a larger one is released after writing.
const KEEP_OUT_BUFFER: usize = 1024 * 1024;

/// Replies waiting for a client to read them beyond which its requests are no longer read.
/// Redis buffers without limit for normal clients; this bounds the memory one client that
/// never reads can take, far above what a pipeline that is read eventually needs.
const MAX_PENDING_OUTPUT: usize = 256 * 1024 * 1024;

/// How long a shutdown waits for connections to finish their commands.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Accepts connections until a shutdown is requested, then lets every connection finish the
/// commands it has read and returns.
pub async fn run(listener: TcpListener, server: Arc<Server>) -> std::io::Result<()> {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let server = server.clone();
                    tokio::spawn(async move { serve(stream, peer, server).await });
                }
                Err(e) => {
                    warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            () = server.shutdown.wait() => break,
        }
    }
    drop(listener);
    info!("shutting down: no longer accepting connections");
    // A script that never ends would keep its worker thread, and the process, alive.
    server.scripting.abort();
    for client in server.clients.all() {
        client.killed.raise();
    }
    let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
    while !server.clients.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    info!("mokad is now ready to exit, bye bye...");
    Ok(())
}

/// Serves one connection until it closes, is killed, or breaks the protocol.
async fn serve(mut stream: TcpStream, peer: SocketAddr, server: Arc<Server>) {
    server.stats.connections_received.fetch_add(1, Ordering::Relaxed);
    let _ = stream.set_nodelay(true);
    let maxclients = server.settings.read().maxclients;
    if server.clients.len() >= maxclients {
        server.stats.rejected_connections.fetch_add(1, Ordering::Relaxed);
        debug!(%peer, "refused connection: max number of clients reached");
        let _ = stream.write_all(b"-ERR max number of clients reached\r\n").await;
        return;
    }
    let local = stream.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let client = server.clients.register(peer.to_string(), local);
    let mut session = Session::new(client.clone());
    let outcome = connection_loop(&mut stream, &server, &mut session).await;
    if let Err(reason) = outcome {
        debug!(%peer, id = client.id, "closing connection: {reason}");
    }
    server.pubsub.unsubscribe_all(&mut session);
    session.unwatch_all(&server.storage);
    server.clients.unregister(client.id);
}

/// Why a connection ended early.
type Closed = String;

async fn connection_loop(stream: &mut TcpStream, server: &Server, session: &mut Session) -> Result<(), Closed> {
    let client = session.client.clone();
    let mut parser = RequestParser::default();
    let mut input = BytesMut::with_capacity(READ_CHUNK);
    let mut out = Output::default();
    loop {
        let (timeout, query_limit, max_bulk_len) = {
            let settings = server.settings.read();
            (settings.timeout, settings.client_query_buffer_limit.0, settings.proto_max_bulk_len.0)
        };
        parser.set_limits(Limits { max_bulk_len });
        if input.capacity() - input.len() < READ_CHUNK / 4 {
            input.reserve(READ_CHUNK);
        }
        // Like Redis, a subscriber waits for messages, not commands: `timeout` spares it.
        let timeout = if session.subscriptions.is_empty() { timeout } else { 0 };
        // Requests are read while replies wait to be written, as Redis does: a client that
        // sends a whole pipeline before reading any reply must not find both socket buffers
        // full and the server waiting for it. Past `MAX_PENDING_OUTPUT` the server stops
        // reading until the client reads.
        // Read what has arrived; wait only when nothing has.
        loop {
            let reading = out.buf.len() < MAX_PENDING_OUTPUT;
            let read = if reading { stream.try_read_buf(&mut input) } else { Err(std::io::ErrorKind::WouldBlock.into()) };
            match read {
                Ok(0) => return Ok(()),
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(format!("read error: {e}")),
            }
            tokio::select! {
                ready = stream.readable(), if reading => ready.map_err(|e| format!("read error: {e}"))?,
                ready = stream.writable(), if !out.buf.is_empty() => {
                    ready.map_err(|e| format!("write error: {e}"))?;
                    out.write_ready(stream, &client)?;
                }
                () = client.killed.wait() => return Err("killed".into()),
                () = idle(timeout), if out.buf.is_empty() => return Err("idle timeout".into()),
                () = client.mailbox.ready() => {
                    out.messages += client.mailbox.drain(session.protocol, &mut out.buf);
                    out.write_ready(stream, &client)?;
                }
            }
        }
        // Like Redis, the limit applies to the unparsed input, checked before anything in it runs
        // (arguments already complete have left the buffer, as Redis moves them to argv).
        if input.len() as u64 > query_limit {
            warn!(id = client.id, "closing client that exceeded client-query-buffer-limit");
            return Err("query buffer limit".into());
        }
        let mut close = false;
        loop {
            match parser.parse(&mut input) {
                Ok(Some(request)) => {
                    // Messages published before this command go out before its reply.
                    out.messages += client.mailbox.drain(session.protocol, &mut out.buf);
                    session.skip_current = std::mem::take(&mut session.skip_next);
                    let mut reply = execute(server, session, request);
                    if session.blocked.is_some() {
                        // BLPOP and friends found nothing: park until served or timed out.
                        reply = blocked::wait(stream, server, session, &mut input, &mut out.buf).await?;
                    }
                    send(session, &reply, &mut out.buf);
                    if session.close || client.killed.is_raised() {
                        close = true;
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    Reply::Error(format!("ERR {e}").into()).encode(session.protocol, &mut out.buf);
                    let _ = stream.write_all(&out.buf).await;
                    return Err(format!("protocol error: {e}"));
                }
            }
        }
        if std::mem::take(&mut session.woke_subscribers) {
            // Let the subscribers just woken (queued on this worker) write first, as Redis does.
            tokio::task::yield_now().await;
        }
        if close {
            out.flush(stream, &client).await?;
            return Ok(());
        }
        out.write_ready(stream, &client)?;
    }
}

/// Replies and messages waiting to be written to the client.
struct Output {
    buf: BytesMut,
    /// Bytes of pub/sub messages in `buf`: they count against the client's output limit until
    /// written.
    messages: usize,
    /// `buf` has held more than `KEEP_OUT_BUFFER` since it was last empty. (Its capacity no
    /// longer shows it once written bytes have been advanced past.)
    grown: bool,
}

impl Default for Output {
    fn default() -> Self {
        Output { buf: BytesMut::with_capacity(READ_CHUNK), messages: 0, grown: false }
    }
}

impl Output {
    /// Writes as much as the socket takes now, without waiting.
    fn write_ready(&mut self, stream: &TcpStream, client: &ClientInfo) -> Result<(), Closed> {
        self.grown |= self.buf.len() > KEEP_OUT_BUFFER;
        while !self.buf.is_empty() {
            match stream.try_write(&self.buf) {
                Ok(written) => self.buf.advance(written),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(format!("write error: {e}")),
            }
        }
        self.written(client);
        Ok(())
    }

    /// Writes everything. A client killed meanwhile (CLIENT KILL, or a subscriber past its
    /// output limit that stopped reading) stops the write instead of holding the task in it
    /// forever.
    async fn flush(&mut self, stream: &mut TcpStream, client: &ClientInfo) -> Result<(), Closed> {
        if self.buf.is_empty() {
            return Ok(());
        }
        tokio::select! {
            // The write first: a reply that fits the socket buffer still goes out to a client
            // that has just killed itself.
            biased;
            written = stream.write_all(&self.buf) => written.map_err(|e| format!("write error: {e}"))?,
            () = client.killed.wait() => return Err("killed".into()),
        }
        self.written(client);
        Ok(())
    }

    /// Once everything has been written: its messages no longer count against the client's
    /// output limit, and a buffer grown by a large reply is released.
    fn written(&mut self, client: &ClientInfo) {
        client.mailbox.written(std::mem::take(&mut self.messages));
        if std::mem::take(&mut self.grown) || self.buf.capacity() > KEEP_OUT_BUFFER {
            self.buf = BytesMut::with_capacity(READ_CHUNK);
        } else {
            self.buf.clear();
        }
    }
}

/// Encodes a reply unless CLIENT REPLY (OFF, or a SKIP before this command) or the command
/// itself (SHUTDOWN) says not to; pushes (pub/sub confirmations and messages) go out anyway,
/// as in Redis.
fn send(session: &mut Session, reply: &Reply, output: &mut BytesMut) {
    let dropped = std::mem::take(&mut session.drop_reply);
    if session.reply_mode == ReplyMode::On && !session.skip_current && !dropped {
        reply.encode(session.protocol, output);
    } else {
        reply.encode_pushes(session.protocol, output);
    }
}

/// Resolves after `seconds` of inactivity; never when `seconds` is 0.
async fn idle(seconds: u64) {
    if seconds == 0 {
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
}
