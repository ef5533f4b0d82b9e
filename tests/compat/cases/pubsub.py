"""Pub/Sub wire format: (P)SUBSCRIBE/(P)UNSUBSCRIBE confirmations (one reply per channel,
arrays in RESP2, pushes in RESP3), messages and pattern messages delivered to a subscriber
(read with Read()), PUBLISH receiver counts, PUBSUB CHANNELS/NUMSUB/NUMPAT, the RESP2
subscribed-mode restrictions (PING's special reply, other commands refused) that RESP3
lifts, RESET leaving subscribed mode, and errors.

UNSUBSCRIBE/PUNSUBSCRIBE without arguments confirm the remaining channels in hash order:
those are compared without the channel names (`pubsub_confirmation`), followed by a check
that every channel is gone.
"""
from ._model import C, Case, Read, pubsub_confirmation

AREA = "pubsub"

CASES = [
    Case("subscribe_publish", [C("SUBSCRIBE", "a", "b", replies=2), C("PUBLISH", "a", "hello", conn=1), Read(),
                               C("PUBLISH", "b", b"\x00\r\n", conn=1), Read(), C("PUBLISH", "c", "x", conn=1)]),
    Case("subscribe_same_channel_twice", [C("SUBSCRIBE", "a", "a", replies=2), C("SUBSCRIBE", "a"),
                                          C("PUBLISH", "a", "once", conn=1), Read()]),
    Case("unsubscribe", [C("SUBSCRIBE", "a", "b", "c", replies=3), C("UNSUBSCRIBE", "b"), C("UNSUBSCRIBE", "nope"),
                         C("PUBLISH", "b", "x", conn=1), C("UNSUBSCRIBE", replies=2, cmp=pubsub_confirmation()),
                         C("PUBLISH", "a", "x", conn=1), C("PUBSUB", "NUMSUB", "a", "b", "c", conn=1)]),
    Case("unsubscribe_when_not_subscribed", [["UNSUBSCRIBE"], ["PUNSUBSCRIBE"], C("UNSUBSCRIBE", "a", "b", replies=2),
                                             ["PING"]]),
    Case("psubscribe_pmessage", [C("PSUBSCRIBE", "news.*", "h?llo", replies=2), C("PUBLISH", "news.tech", "n", conn=1),
                                 Read(), C("PUBLISH", "hallo", "h", conn=1), Read(), C("PUBLISH", "news", "x", conn=1),
                                 C("PUNSUBSCRIBE", "news.*"), C("PUBLISH", "news.tech", "x", conn=1),
                                 C("PUNSUBSCRIBE"), C("PUNSUBSCRIBE")]),
    Case("channel_and_pattern_both_match", [C("SUBSCRIBE", "news.tech"), C("PSUBSCRIBE", "news.*"),
                                            C("PUBLISH", "news.tech", "twice", conn=1), Read(replies=2)]),
    Case("subscriber_counts_in_confirmations", [C("SUBSCRIBE", "a"), C("PSUBSCRIBE", "p*"), C("SUBSCRIBE", "b"),
                                                C("UNSUBSCRIBE", "a"), C("PUNSUBSCRIBE", "p*"), C("UNSUBSCRIBE", "b")]),
    Case("publish_counts_receivers", [C("SUBSCRIBE", "ch"), C("SUBSCRIBE", "ch", conn=1), C("PSUBSCRIBE", "c*", conn=2),
                                      C("PUBLISH", "ch", "m", conn=3), Read(), Read(conn=1), Read(conn=2),
                                      C("PUBLISH", "cx", "m", conn=3), Read(conn=2), C("PUBLISH", "zz", "m", conn=3)]),
    Case("pubsub_introspection", [C("SUBSCRIBE", "a", "b", replies=2), C("SUBSCRIBE", "b", conn=1), C("PSUBSCRIBE", "x*", "y*", conn=2, replies=2),
                                  C("PUBSUB", "CHANNELS", conn=3, cmp="unordered"), C("PUBSUB", "CHANNELS", "a*", conn=3),
                                  C("PUBSUB", "NUMSUB", "a", "b", "nope", conn=3), C("PUBSUB", "NUMSUB", conn=3),
                                  C("PUBSUB", "NUMPAT", conn=3), C("PUBSUB", "BOGUS", conn=3), C("PUBSUB", conn=3),
                                  C("PUBSUB", "NUMPAT", "x", conn=3)]),
    Case("resp2_subscribed_mode_restrictions", [C("SUBSCRIBE", "a"), ["PING"], ["PING", "hi"], ["GET", "k"], ["SET", "k", "v"],
                                                C("PUBLISH", "a", "m", conn=1), Read(), ["UNSUBSCRIBE"], ["GET", "k"]]),
    Case("reset_leaves_subscribed_mode", [C("SUBSCRIBE", "a"), C("PSUBSCRIBE", "b*"), C("RESET", cmp="type"),
                                          ["GET", "k"], C("PUBLISH", "a", "m", conn=1), C("PUBSUB", "NUMPAT", conn=1)]),
    Case("subscribe_errors", [["SUBSCRIBE"], ["PSUBSCRIBE"], ["PUBLISH", "a"], ["PUBLISH", "a", "b", "c"],
                              ["MULTI"], ["SUBSCRIBE", "a"], ["EXEC"]]),
    Case("publish_in_multi_and_script", [C("SUBSCRIBE", "a", conn=1), ["MULTI"], ["PUBLISH", "a", "from-multi"], ["EXEC"],
                                         Read(conn=1), ["EVAL", "return redis.call('PUBLISH', 'a', 'from-lua')", "0"],
                                         Read(conn=1)], needs=("scripting",)),
    Case("quit_while_subscribed", [C("SUBSCRIBE", "a"), C("QUIT", check_close=True), C("PUBSUB", "NUMSUB", "a", conn=1)]),
]
