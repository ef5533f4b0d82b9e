//! Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE,
//! SUNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB. The registry and delivery are in
//! [`crate::pubsub`].

use bytes::Bytes;
use mokad_resp::Reply;

use crate::dispatch::Ctx;
use crate::errors;
use crate::pubsub::Kind;

/// SUBSCRIBE channel [channel ...].
pub(crate) fn subscribe(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ctx.server.pubsub.subscribe(ctx.session, Kind::Channel, &args[1..])
}

/// UNSUBSCRIBE [channel [channel ...]].
pub(crate) fn unsubscribe(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ctx.server.pubsub.unsubscribe(ctx.session, Kind::Channel, &args[1..])
}

/// PSUBSCRIBE pattern [pattern ...].
pub(crate) fn psubscribe(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ctx.server.pubsub.subscribe(ctx.session, Kind::Pattern, &args[1..])
}

/// PUNSUBSCRIBE [pattern [pattern ...]].
pub(crate) fn punsubscribe(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ctx.server.pubsub.unsubscribe(ctx.session, Kind::Pattern, &args[1..])
}

/// SSUBSCRIBE shardchannel [shardchannel ...].
pub(crate) fn ssubscribe(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ctx.server.pubsub.subscribe(ctx.session, Kind::Shard, &args[1..])
}

/// SUNSUBSCRIBE [shardchannel [shardchannel ...]].
pub(crate) fn sunsubscribe(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ctx.server.pubsub.unsubscribe(ctx.session, Kind::Shard, &args[1..])
}

fn publish_to(ctx: &mut Ctx<'_>, args: &[Bytes], shard: bool) -> Reply {
    let limit = ctx.server.settings.read().client_output_buffer_limit.pubsub;
    let (receivers, mut own) = ctx.server.pubsub.publish(ctx.session, &args[1], &args[2], shard, limit);
    let count = Reply::Integer(receivers as i64);
    if own.is_empty() {
        count
    } else {
        own.push(count);
        Reply::Sequence(own)
    }
}

/// PUBLISH channel message: the number of clients that received it.
pub(crate) fn publish(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    publish_to(ctx, args, false)
}

/// SPUBLISH shardchannel message.
pub(crate) fn spublish(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    publish_to(ctx, args, true)
}

fn list_names(ctx: &Ctx<'_>, args: &[Bytes], kind: Kind) -> Reply {
    match args {
        [_, _] | [_, _, _] => {
            let names = ctx.server.pubsub.names(kind, args.get(2).map(|p| &p[..]));
            Reply::Array(names.into_iter().map(Reply::Bulk).collect())
        }
        _ => errors::subcommand_arity(&String::from_utf8_lossy(&args[0]), &args[1]),
    }
}

fn count_subscribers(ctx: &Ctx<'_>, args: &[Bytes], kind: Kind) -> Reply {
    let mut out = Vec::with_capacity(2 * (args.len() - 2));
    for name in &args[2..] {
        out.push(Reply::Bulk(name.clone()));
        out.push(Reply::Integer(ctx.server.pubsub.subscribers(kind, name) as i64));
    }
    Reply::Array(out)
}

/// PUBSUB CHANNELS [pattern].
pub(crate) fn pubsub_channels(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    list_names(ctx, args, Kind::Channel)
}

/// PUBSUB NUMSUB [channel ...].
pub(crate) fn pubsub_numsub(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    count_subscribers(ctx, args, Kind::Channel)
}

/// PUBSUB NUMPAT: the number of distinct patterns subscribed to.
pub(crate) fn pubsub_numpat(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Integer(ctx.server.pubsub.distinct(Kind::Pattern) as i64)
}

/// PUBSUB SHARDCHANNELS [pattern].
pub(crate) fn pubsub_shardchannels(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    list_names(ctx, args, Kind::Shard)
}

/// PUBSUB SHARDNUMSUB [shardchannel ...].
pub(crate) fn pubsub_shardnumsub(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    count_subscribers(ctx, args, Kind::Shard)
}

/// PUBSUB HELP, in Redis's words.
pub(crate) fn pubsub_help(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    const LINES: &[&str] = &[
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    ];
    Reply::Array(LINES.iter().map(|line| Reply::simple(line)).collect())
}
