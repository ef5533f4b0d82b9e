//! mokad's commands: the table, argument parsing, execution against the keyspace, and replies.
//!
//! A connection hands each request to [`execute`] with its [`Session`]; the dispatcher
//! resolves the command in the [`table`], checks its arity once, queues it inside MULTI, holds
//! the database locks it needs and runs it. Handlers parse their arguments into typed values,
//! act through the storage API and return a [`mokad_resp::Reply`]. Redis's error texts live in
//! [`errors`].

pub mod args;
pub mod blocking;
pub mod cmd;
pub mod dispatch;
pub mod errors;
pub mod glob;
pub mod long_double;
pub mod sample;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod settings;
pub mod strtod;
pub mod table;

pub use dispatch::execute;
pub use server::{ClientInfo, ReplyMode, Server, Session};
pub use settings::Settings;
