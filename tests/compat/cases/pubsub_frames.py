"""Pub/Sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH, SPUBLISH, PUBSUB.

A message pushed to a subscriber is read with `RECV(n)`: no bytes sent, `n` frames read.
Unsubscribing from several channels at once is left out of byte-exact cases: Redis answers
in the order of its hash table, which is not defined.
"""
from ._model import C, Case, R


def RECV(frames: int = 1, conn: int = 0, protos=(2, 3)):
    """Read `frames` pushed frames (messages) on `conn` without sending anything."""
    return R(b"", replies=frames, conn=conn, check_close=False, protos=protos)


CASES = [
    Case("unsubscribe_when_subscribed_to_nothing", [["UNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["SUNSUBSCRIBE"]]),
    Case("subscribe_confirms_each_name_with_the_count", [
        C("SUBSCRIBE", "c1", "c2", "c1", replies=3),
        C("PSUBSCRIBE", "c*", "c*", "d?", replies=3),
    ]),
    Case("subscribe_arity", [["SUBSCRIBE"], ["PSUBSCRIBE"], ["SSUBSCRIBE"], ["PUBLISH", "c"],
                             ["PUBLISH", "c", "m", "x"], ["SPUBLISH", "c"]]),
    Case("publish_without_subscribers", [["PUBLISH", "nobody", "m"], ["SPUBLISH", "nobody", "m"]]),
    Case("publish_delivers_message_and_pmessage", [
        C("SUBSCRIBE", "news"),
        C("PSUBSCRIBE", "n*"),
        C("PUBLISH", "news", "hello", conn=1),
        RECV(2),
        C("PUBLISH", "nope", "x", conn=1),
        RECV(1),
        C("PUBLISH", "other", "x", conn=1),
        C("PUBLISH", "news", b"bin\x00\r\nary", conn=1),
        RECV(2),
    ]),
    Case("publish_counts_every_receiver", [
        C("SUBSCRIBE", "ch"), C("PSUBSCRIBE", "c*"),
        C("SUBSCRIBE", "ch", conn=1), C("PSUBSCRIBE", "*h", conn=1),
        C("PUBLISH", "ch", "m", conn=2),
        RECV(2), RECV(2, conn=1),
    ]),
    Case("subscribed_mode_allows_ping_and_subscriptions_only_in_resp2", [
        C("SUBSCRIBE", "c"),
        ["PING"], ["PING", "hi"], ["PING", "a", "b"],
        ["GET", "k"], ["client", "getname"],
        C("PUBLISH", "c", "self", replies=1, protos=(2,)),
        C("MULTI", protos=(2,)),
        ["get"], ["NOSUCH", "x"], ["PUBSUB", "NUMPAT"],
        C("PSUBSCRIBE", "p*"), C("SSUBSCRIBE", "s"),
        C("UNSUBSCRIBE", "c"), ["GET", "k"], C("PUNSUBSCRIBE"), ["GET", "k"],
        C("SUNSUBSCRIBE"), ["GET", "k"], ["PING"],
    ]),
    Case("hello_is_refused_in_resp2_subscribed_mode", [C("SUBSCRIBE", "c"), C("HELLO", "3")], protos=(2,)),
    Case("resp3_subscriber_runs_any_command", [
        C("SUBSCRIBE", "c"), ["SET", "k", "v"], ["GET", "k"], ["PUBSUB", "NUMSUB", "c"],
        C("PUBLISH", "c", "from-other", conn=1), RECV(1), ["DBSIZE"],
    ], protos=(3,)),
    Case("resp3_publish_to_itself_writes_the_messages_before_the_count", [
        C("SUBSCRIBE", "c"), C("PSUBSCRIBE", "*"),
        C("PUBLISH", "c", "self", replies=3),
        ["MULTI"], ["PUBLISH", "c", "in-exec"], C("EXEC", replies=3), ["PING"],
    ], protos=(3,)),
    Case("resp3_back_to_resp2_while_subscribed", [
        C("SUBSCRIBE", "c"), C("HELLO", "2", cmp="ignore"), ["GET", "k"], ["PING"], ["UNSUBSCRIBE"],
        ["GET", "k"],
    ], protos=(3,)),
    Case("unsubscribe_some", [
        C("SUBSCRIBE", "a", "b", "c", replies=3), C("PSUBSCRIBE", "x*"),
        C("UNSUBSCRIBE", "b", "nosuch", replies=2), C("PUNSUBSCRIBE", "y*"), C("PUNSUBSCRIBE", "x*"),
        C("UNSUBSCRIBE", "a", "c", replies=2), ["UNSUBSCRIBE"], ["GET", "k"],
    ]),
    Case("subscribe_inside_multi_runs_at_exec", [
        ["MULTI"], ["SUBSCRIBE", "x", "y"], ["PUBLISH", "x", "m"], ["PSUBSCRIBE", "x*"],
        ["PUBLISH", "x", "m2"], ["GET", "k"], C("EXEC", replies=5), ["GET", "k"],
    ], protos=(2,), note="Redis writes the confirmations and messages to itself inline: the EXEC "
                         "array holds more frames than its header counts."),
    Case("reset_drops_subscriptions_silently", [
        C("SUBSCRIBE", "a"), C("PSUBSCRIBE", "b*"), C("SSUBSCRIBE", "s"), ["RESET"], ["PING"],
        C("PUBSUB", "NUMSUB", "a", conn=1), C("PUBSUB", "NUMPAT", conn=1), C("PUBLISH", "a", "x", conn=1),
        C("PUBSUB", "SHARDNUMSUB", "s", conn=1),
    ]),
    Case("quit_drops_subscriptions", [
        C("SUBSCRIBE", "q"), C("QUIT", check_close=True),
        C("PUBSUB", "NUMSUB", "q", conn=1), C("PUBLISH", "q", "x", conn=1),
    ]),
    Case("pushes_ignore_client_reply_off", [
        C("CLIENT", "REPLY", "OFF", replies=0), C("SUBSCRIBE", "r"),
        C("PUBLISH", "r", "m", conn=1), RECV(1),
        C("PING", replies=0, protos=(2,)), C("UNSUBSCRIBE"), C("GET", "k", replies=0),
    ]),
    Case("shard_channels", [
        C("SSUBSCRIBE", "s1", "s2", "s1", replies=3), C("SUBSCRIBE", "s1"),
        C("SPUBLISH", "s1", "m", conn=1), RECV(1),
        C("PUBLISH", "s1", "m", conn=1), RECV(1),
        C("PUBSUB", "SHARDCHANNELS", "s1", conn=1), C("PUBSUB", "SHARDNUMSUB", "s1", "s2", "s3", conn=1),
        C("SUNSUBSCRIBE", "s1"), C("SUNSUBSCRIBE", "s2"), ["SUNSUBSCRIBE"],
    ]),
    Case("pubsub_introspection", [
        C("SUBSCRIBE", "news.tech", "news.art", "weather", replies=3), C("PSUBSCRIBE", "n*", "w*", replies=2),
        C("SUBSCRIBE", "news.tech", conn=1), C("PSUBSCRIBE", "n*", conn=1),
        C("PUBSUB", "CHANNELS", conn=2, cmp="unordered"),
        C("PUBSUB", "CHANNELS", "news.*", conn=2, cmp="unordered"),
        C("PUBSUB", "CHANNELS", "nomatch", conn=2),
        C("PUBSUB", "NUMSUB", conn=2),
        C("PUBSUB", "NUMSUB", "news.tech", "weather", "nosuch", conn=2),
        C("PUBSUB", "NUMPAT", conn=2),
        C("PUBSUB", "SHARDCHANNELS", conn=2),
        C("PUBSUB", "SHARDNUMSUB", conn=2),
    ]),
    Case("pubsub_errors_and_help", [
        ["PUBSUB"], ["PUBSUB", "FOO"], ["PUBSUB", "channels", "a", "b"], ["PUBSUB", "NUMPAT", "x"],
        ["PUBSUB", "SHARDCHANNELS", "a", "b"], ["PUBSUB", "HELP"], ["PUBSUB", "help", "x"],
        ["pubsub", "numsub", "a"],
    ]),
    Case("client_output_buffer_limit_config", [
        C("CONFIG", "GET", "client-output-buffer-limit", cmp="pairs"),
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 10 replica 1 2 3"],
        C("CONFIG", "GET", "client-output-buffer-limit", cmp="pairs"),
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb"],
        ["CONFIG", "SET", "client-output-buffer-limit", "master 1 1 1"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 1 -1"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub x 1 1"],
        C("CONFIG", "GET", "client-output-buffer-limit", cmp="pairs"),
    ], teardown=[["CONFIG", "SET", "client-output-buffer-limit",
                  "normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60"]]),
]
