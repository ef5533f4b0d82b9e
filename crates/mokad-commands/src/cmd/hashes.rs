//! Hash commands.

use bytes::Bytes;
use mokad_resp::Reply;
use mokad_storage::collections::Hash;

use super::{owned, read_collection, write_collection, IfAbsent};
use crate::dispatch::Ctx;
use crate::errors;

/// HSET key field value [field value ...]: sets fields; replies how many were new.
///
/// # Format
/// `HSET key field value [field value ...]`
pub(crate) fn hset(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() % 2 != 0 {
        return errors::wrong_arity("hset");
    }
    write_collection(ctx, &args[1], IfAbsent::Create, |hash: &mut Hash| {
        let added = args[2..].chunks_exact(2).filter(|pair| hash.insert(owned(&pair[0]), owned(&pair[1]))).count();
        (Reply::Integer(added as i64), true)
    })
}

/// HGET key field: the field's value, or nil.
///
/// # Format
/// `HGET key field`
pub(crate) fn hget(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Null,
        Ok(Some(hash)) => hash.read().get(&args[2]).map_or(Reply::Null, |v| Reply::Bulk(v.clone())),
    }
}

/// HDEL key field [field ...]: removes fields; replies how many existed.
///
/// # Format
/// `HDEL key field [field ...]`
pub(crate) fn hdel(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |hash: &mut Hash| {
        let removed = args[2..].iter().filter(|field| hash.remove(field).is_some()).count();
        (Reply::Integer(removed as i64), removed > 0)
    })
}

/// HLEN key: the number of fields.
///
/// # Format
/// `HLEN key`
pub(crate) fn hlen(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(hash)) => Reply::Integer(hash.read().len() as i64),
    }
}
