using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Parsing;

namespace ScriptDsl.Generator.Binding
{
    public sealed partial class ScriptBinder
    {
        /// <summary>
        /// The one "declared twice" check: names of one kind (slots, a slot's choices, facts, items,
        /// concepts, stages, intents, policies, a policy's members, settings a shop has once) and where
        /// each was first declared. The second declaration is reported with <see cref="_twice"/>, whose
        /// arguments are <see cref="_leading"/>, the name as shown, and the first declaration's line.
        /// </summary>
        private sealed class Declarations
        {
            private readonly ScriptBinder _binder;
            private readonly DiagnosticDescriptor _twice;
            private readonly string[] _leading;
            private readonly Dictionary<string, SourcePosition> _first = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
            private readonly List<string> _order = new List<string>();

            public Declarations(ScriptBinder binder, DiagnosticDescriptor twice, params string[] leading)
            {
                _binder = binder;
                _twice = twice;
                _leading = leading;
            }

            /// <summary>The names declared, in declaration order.</summary>
            public ICollection<string> Names => _order;

            public bool Contains(string name) => _first.ContainsKey(name);

            public bool First(Ident name) => First(name.Name, name.Pos, name.Name.Length);

            /// <summary>
            /// True the first time <paramref name="name"/> is declared. Later: reports at
            /// <paramref name="at"/> (<paramref name="shown"/>, default the name) and returns false.
            /// <paramref name="firstAt"/> is where the first declaration is said to be when it is not
            /// <paramref name="at"/> (a slot's choices point at the slot).
            /// </summary>
            public bool First(string name, SourcePosition at, int length, string? shown = null, SourcePosition? firstAt = null)
            {
                if (_first.TryGetValue(name, out var first))
                {
                    var args = new string[_leading.Length + 2];
                    _leading.CopyTo(args, 0);
                    args[_leading.Length] = shown ?? name;
                    args[_leading.Length + 1] = Line(first);
                    _binder.Report(_twice, at, length, args);
                    return false;
                }

                _first[name] = firstAt ?? at;
                _order.Add(name);
                return true;
            }
        }
    }
}
