//! A connection parked in a blocking command (BLPOP, BLMOVE, BZPOPMIN ...).
//!
//! The command's handler found nothing and left a `Blocked` in the session. The connection
//! registers on the keys and then awaits, holding no worker thread, whichever comes first: a
//! wake-up from a write to one of the keys (it then runs the command again, which either pops
//! or leaves a new `Blocked` to wait on), the timeout, CLIENT KILL or shutdown, or the client
//! going away. Bytes the client sends meanwhile are kept for after the reply, as Redis does.

use std::sync::atomic::Ordering;

use bytes::BytesMut;
use mokad_commands::blocking::TIMED_OUT;
use mokad_commands::{errors, execute, ClientInfo, Server, Session};
use mokad_resp::Reply;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::{Closed, READ_CHUNK};

/// Marks the client blocked in CLIENT LIST while it lives.
struct BlockedFlag<'a>(&'a ClientInfo);

impl<'a> BlockedFlag<'a> {
    fn raise(client: &'a ClientInfo) -> Self {
        client.blocked.store(true, Ordering::Relaxed);
        BlockedFlag(client)
    }
}

impl Drop for BlockedFlag<'_> {
    fn drop(&mut self) {
        self.0.blocked.store(false, Ordering::Relaxed);
    }
}

/// Waits until the blocked command in `session.blocked` is served or times out and returns
/// its reply. Replies already in `output` are written first: they answer earlier commands.
pub(crate) async fn wait(
    stream: &mut TcpStream,
    server: &Server,
    session: &mut Session,
    input: &mut BytesMut,
    output: &mut BytesMut,
) -> Result<Reply, Closed> {
    let Some(blocked) = session.blocked.take() else { return Ok(TIMED_OUT) };
    if !output.is_empty() {
        stream.write_all(output).await.map_err(|e| format!("write error: {e}"))?;
        output.clear();
    }
    // The timeout counts from the first attempt; looking again does not restart it. A timeout
    // too far away to represent waits forever.
    let deadline = blocked.timeout.and_then(|timeout| Instant::now().checked_add(timeout));
    let client = session.client.clone();
    let registration = server.blocking.register(client.id, blocked.db, &blocked.keys, blocked.kind);
    client.unblock.clear();
    let _flag = BlockedFlag::raise(&client);
    if blocked.kick {
        registration.kick();
    }
    loop {
        // Look again: a write may have come between the first look and the registration,
        // or have woken us. Served (or failed) unless the command blocks again.
        session.block_retry = true;
        session.block_ready = registration.take_ready();
        let reply = execute(server, session, blocked.args.clone());
        session.block_ready = Vec::new();
        session.block_retry = false;
        if session.blocked.take().is_none() {
            return Ok(reply);
        }
        loop {
            tokio::select! {
                () = registration.woken() => break,
                () = until(deadline) => return Ok(TIMED_OUT),
                () = client.killed.wait() => return Err("killed".into()),
                error = client.unblock.wait() => return Ok(if error { errors::UNBLOCKED } else { TIMED_OUT }),
                read = stream.read_buf(input) => match read {
                    Ok(0) => return Err("closed while blocked".into()),
                    Ok(_) => {
                        if input.len() as u64 > server.settings.read().client_query_buffer_limit.0 {
                            return Err("query buffer limit".into());
                        }
                        if input.capacity() - input.len() < READ_CHUNK / 4 {
                            input.reserve(READ_CHUNK);
                        }
                    }
                    Err(e) => return Err(format!("read error: {e}")),
                },
            }
        }
    }
}

/// Resolves at `deadline`; never without one.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
