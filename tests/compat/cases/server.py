"""Server commands: FLUSHDB/FLUSHALL, DBSIZE, TIME, CONFIG GET/SET/RESETSTAT, COMMAND, INFO,
unknown commands and unknown subcommands."""
from ._model import C, Case, bulk_contains, time_reply

CASES = [
    # FLUSHDB / FLUSHALL
    Case("flushdb", [["MSET", "a", "1", "b", "2"], ["SELECT", "1"], ["SET", "c", "3"], ["FLUSHDB"],
                     ["DBSIZE"], ["SELECT", "0"], ["DBSIZE"]]),
    Case("flushdb_modes", [["SET", "a", "1"], ["FLUSHDB", "ASYNC"], ["DBSIZE"], ["SET", "a", "1"],
                           ["FLUSHDB", "SYNC"], ["DBSIZE"], ["flushdb", "async"], ["FLUSHDB", "sync"]]),
    Case("flushdb_errors", [["SET", "a", "1"], ["FLUSHDB", "FOO"], ["FLUSHDB", "ASYNC", "SYNC"],
                            ["FLUSHDB", "SYNC", "SYNC"], ["DBSIZE"]]),
    Case("flushall", [["SET", "a", "1"], ["SELECT", "5"], ["SET", "b", "1"], ["FLUSHALL"], ["DBSIZE"],
                      ["SELECT", "0"], ["DBSIZE"]]),
    Case("flushall_modes", [["SET", "a", "1"], ["FLUSHALL", "ASYNC"], ["DBSIZE"], ["SET", "a", "1"],
                            ["FLUSHALL", "sync"], ["DBSIZE"]]),
    Case("flushall_errors", [["SET", "a", "1"], ["FLUSHALL", "FOO"], ["FLUSHALL", "ASYNC", "x"], ["DBSIZE"]]),
    Case("dbsize_arity", [["DBSIZE", "a"]]),

    # TIME
    Case("time", [C("TIME", cmp=time_reply()), ["TIME", "x"]]),

    # CONFIG
    Case("config_get_maxmemory", [["CONFIG", "GET", "maxmemory"]]),
    Case("config_get_maxmemory_policy", [["CONFIG", "GET", "maxmemory-policy"]]),
    Case("config_get_databases", [["CONFIG", "GET", "databases"]]),
    Case("config_get_case_insensitive", [["config", "get", "MAXMEMORY"], ["CONFIG", "GET", "Databases"]]),
    Case("config_get_multiple", [C("CONFIG", "GET", "maxmemory", "databases", cmp="pairs"),
                                 C("CONFIG", "GET", "databases", "databases", cmp="pairs")]),
    Case("config_get_unknown", [["CONFIG", "GET", "nosuchparam"], ["CONFIG", "GET", "nosuch*"]]),
    Case("config_get_arity", [["CONFIG", "GET"], ["CONFIG"]]),
    # Broad globs: every parameter Redis has matching the pattern. mokad may legitimately lack
    # some (e.g. maxmemory-clients, maxmemory-eviction-tenacity); judge these separately.
    Case("config_get_glob_maxmemory", [C("CONFIG", "GET", "maxmemory*", cmp="pairs")],
         note="broad glob: lists every maxmemory* parameter Redis has",
         differs="mokad has no maxmemory-samples, maxmemory-clients or maxmemory-eviction-tenacity: "
                 "moka's eviction has no such knobs"),
    Case("config_get_glob_question", [C("CONFIG", "GET", "databas?s", cmp="pairs")]),
    Case("config_set_unknown", [["CONFIG", "SET", "nosuchparam", "1"], ["CONFIG", "SET", "foo", "bar"]]),
    Case("config_set_arity", [["CONFIG", "SET", "maxmemory"], ["CONFIG", "SET"],
                              ["CONFIG", "SET", "maxmemory", "0", "databases"]]),
    Case("config_set_bad_value", [["CONFIG", "SET", "maxmemory", "abc"],
                                  ["CONFIG", "SET", "maxmemory-policy", "nosuchpolicy"],
                                  ["CONFIG", "GET", "maxmemory-policy"]]),
    Case("config_set_immutable", [["CONFIG", "SET", "databases", "32"]]),
    Case("config_set_same_value", [["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"],
                                   ["CONFIG", "GET", "maxmemory-policy"],
                                   ["CONFIG", "SET", "maxmemory", "0"], ["CONFIG", "GET", "maxmemory"]]),
    Case("config_set_duplicate", [["CONFIG", "SET", "maxmemory", "0", "maxmemory", "0"],
                                  ["CONFIG", "SET", "maxmemory", "0", "MAXMEMORY", "0"]]),
    Case("config_set_multiple_same_values", [["CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "maxmemory", "0"],
                                             C("CONFIG", "GET", "maxmemory", "maxmemory-policy", cmp="pairs")]),
    Case("config_set_maxmemory_policy", [["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"],
                                         ["CONFIG", "GET", "maxmemory-policy"],
                                         ["config", "set", "MAXMEMORY-POLICY", "ALLKEYS-LFU"],
                                         ["CONFIG", "GET", "maxmemory-policy"],
                                         ["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"],
                                         ["CONFIG", "GET", "maxmemory-policy"],
                                         ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
                                         ["CONFIG", "GET", "maxmemory-policy"]],
         teardown=[["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]],
         differs="mokad cannot change maxmemory or maxmemory-policy at run time yet (moka fixes a "
                 "cache's capacity and policy when it is built); CONFIG SET accepts only the current value"),
    Case("config_set_maxmemory_units", [["CONFIG", "SET", "maxmemory", "100mb"], ["CONFIG", "GET", "maxmemory"],
                                        ["CONFIG", "SET", "maxmemory", "1GB"], ["CONFIG", "GET", "maxmemory"],
                                        ["CONFIG", "SET", "maxmemory", "1048576"], ["CONFIG", "GET", "maxmemory"],
                                        ["CONFIG", "SET", "maxmemory", "100k"], ["CONFIG", "GET", "maxmemory"],
                                        ["CONFIG", "SET", "maxmemory", "-1"], ["CONFIG", "SET", "maxmemory", "1.5gb"],
                                        ["CONFIG", "SET", "maxmemory", "10xb"], ["CONFIG", "GET", "maxmemory"],
                                        ["CONFIG", "SET", "maxmemory", "0"], ["CONFIG", "GET", "maxmemory"]],
         teardown=[["CONFIG", "SET", "maxmemory", "0"]],
         differs="mokad cannot change maxmemory or maxmemory-policy at run time yet (moka fixes a "
                 "cache's capacity and policy when it is built); CONFIG SET accepts only the current value"),
    Case("config_set_atomic_on_error", [["CONFIG", "SET", "maxmemory", "123mb", "maxmemory-policy", "bogus"],
                                        ["CONFIG", "GET", "maxmemory"]],
         teardown=[["CONFIG", "SET", "maxmemory", "0"]],
         differs="mokad cannot change maxmemory or maxmemory-policy at run time yet (moka fixes a "
                 "cache's capacity and policy when it is built); CONFIG SET accepts only the current value"),
    Case("config_resetstat", [["CONFIG", "RESETSTAT"], ["config", "resetstat"], ["CONFIG", "RESETSTAT", "x"]]),
    Case("config_unknown_subcommand", [["CONFIG", "FOO"], ["CONFIG", "foo", "bar"]]),

    # COMMAND
    Case("command_count", [C("COMMAND", "COUNT", cmp="type"), ["COMMAND", "COUNT", "x"]]),
    Case("command_info_get", [["COMMAND", "INFO", "get"]]),
    Case("command_info_set", [["COMMAND", "INFO", "set"]],
         differs="COMMAND INFO key specs are derived from first/last/step: per-command key-spec flags, "
                 "notes and command tips (request_policy, ...) are not reproduced"),
    Case("command_info_case", [["COMMAND", "INFO", "GET"]]),
    Case("command_info_multiple", [["COMMAND", "INFO", "get", "nosuchcmd", "del"]],
         differs="COMMAND INFO key specs are derived from first/last/step: per-command key-spec flags, "
                 "notes and command tips (request_policy, ...) are not reproduced"),
    Case("command_info_unknown", [["COMMAND", "INFO", "nosuchcmd"]]),
    Case("command_docs_get", [C("COMMAND", "DOCS", "get", cmp="type")]),
    Case("command_unknown_subcommand", [["COMMAND", "FOO"], ["COMMAND", "foo", "bar"]]),

    # INFO
    Case("info", [C("INFO", cmp="type"), C("INFO", "server", cmp="type"),
                  C("INFO", "keyspace", cmp="type")]),
    Case("info_server_fields", [C("INFO", "server", cmp=bulk_contains(b"# Server\r\n", b"redis_version:"))]),
    Case("info_keyspace", [["SET", "a", "1"], ["INFO", "keyspace"], ["SELECT", "3"], ["SET", "b", "2"],
                           ["INFO", "keyspace"]]),
    Case("info_unknown_section", [["INFO", "nosuchsection"], C("INFO", "server", "clients", cmp="type"),
                                  C("INFO", "all", cmp="type"), C("INFO", "everything", cmp="type")]),
    Case("info_empty_keyspace", [["INFO", "keyspace"]]),

    # Unknown commands / subcommands
    Case("unknown_command", [["FOO", "a", "b"], ["foo"], ["NOSUCHCOMMAND", "x"], ["FOO", ""]]),
    Case("unknown_command_long_args", [["FOO", "a" * 200, "b"],
                                       ["FOO"] + [f"arg{i}" for i in range(40)]]),
    Case("unknown_command_special_chars", [["FOO BAR", "a b"], [b"FOO\r\nBAR", "x\r\ny"],
                                           ["FOO", "it's"]]),
    Case("unknown_command_non_utf8", [[b"\xff\xfe"]],
         differs="error texts are UTF-8: mokad writes invalid bytes of an unknown command name "
                 "as U+FFFD where Redis echoes them raw"),
    Case("unknown_command_long_name", [["X" * 300]]),
    Case("empty_command_name", [[""], ["", "a"]]),
    Case("unknown_subcommands", [["CLIENT", "FOO"], ["CONFIG", "FOO"], ["COMMAND", "FOO"],
                                 ["CLIENT", "FOO", "a", "b"]]),
    Case("subcommand_arity", [["CLIENT", "GETNAME", "x"], ["CONFIG", "RESETSTAT", "x"],
                              ["CLIENT", "SETNAME"], ["CONFIG", "GET"]]),
    Case("command_info_no_args", [C("COMMAND", "INFO", cmp="type")]),
    Case("container_command_alone", [["CONFIG"], ["CLIENT"]]),
    Case("object_and_memory_containers", [["OBJECT", "FOO"], ["MEMORY", "FOO"], ["OBJECT"]],
         differs="OBJECT and MEMORY are not implemented yet (OBJECT is part of issue 4): "
                 "mokad answers Redis's unknown-command error"),
    Case("arity_error_text", [["GET"], ["SET", "k"], ["EXPIRE"], ["MSET"], ["INCRBY", "k"],
                              ["getrange", "k"], ["GetEx"]]),
]
