using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>Turning script names into C# names, and suggesting the closest known name for a typo.</summary>
    public static class Names
    {
        /// <summary>lamp_shop → LampShop; CJK names stay as written. Always a valid C# identifier.</summary>
        public static string Pascal(string name)
        {
            var sb = new StringBuilder();
            var upper = true;
            foreach (var c in name)
            {
                if (c == '_')
                {
                    upper = true;
                    continue;
                }

                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }

            var result = sb.Length == 0 ? "_" + name : sb.ToString();
            return Identifier(result);
        }

        /// <summary>A script identifier as a C# identifier: keywords get '@'.</summary>
        public static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
                ? "@" + name
                : name;

        /// <summary>A fact's constant in the nested Facts class (a member may not be named like its class).</summary>
        public static string FactMember(string name) => name == "Facts" ? "Facts_" : Identifier(name);

        /// <summary>" (did you mean 'x'?)" for the closest candidate within a small edit distance, otherwise "".</summary>
        public static string Suggest(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                var d = Distance(name, candidate);
                if (d < bestDistance || d == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0)
                {
                    best = candidate;
                    bestDistance = d;
                }
            }

            var limit = Math.Max(1, name.Length / 3);
            return best is not null && bestDistance <= limit ? " (did you mean '" + best + "'?)" : "";
        }

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }

            return previous[b.Length];
        }
    }
}
