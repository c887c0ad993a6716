using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScriptDsl.Bargaining;

namespace ScriptDsl.Engine;

/// <summary>
/// Stores and loads <see cref="ConversationState"/> as JSON, upgrading older layouts on load; the
/// next save writes the current one (migration on write: a stored row is never rewritten by itself).
/// <para>
/// Written by hand on <see cref="Utf8JsonWriter"/>/<see cref="Utf8JsonReader"/> rather than by
/// System.Text.Json's serializer: the service serializes a state on every turn, and against both the
/// reflection serializer it replaces and a source-generated <c>JsonSerializerContext</c> this form
/// is faster and allocates only the result (docs/benchmarks.md, "Conversation state"), and it is
/// the only one of the three that can leave out properties at their default values (an empty string,
/// a complaint step of -1) which make up most of a typical row. The names are the same snake_case
/// names every version used, so a row stays readable in the database.
/// </para>
/// </summary>
public static class ConversationStateJson
{
    // The state goes to a database column, never into HTML: non-ASCII text (the slots, the
    // fallback) is written as itself (UTF-8) instead of \uXXXX escapes, half the bytes for Chinese.
    // Quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The state in the current layout (<see cref="ConversationState.CurrentVersion"/>, whatever the
    /// record's own <see cref="ConversationState.Version"/> says: a loaded older state is upgraded).
    /// </summary>
    public static string Serialize(ConversationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        Write(writer, state);
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads a stored state of any layout this code knows (1 to <see cref="ConversationState.CurrentVersion"/>).
    /// A newer layout, or text that is not a state at all, is refused with <see cref="FormatException"/>;
    /// the caller decides whether to start afresh.
    /// </summary>
    public static ConversationState Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            var reader = new Utf8JsonReader(rented.AsSpan(0, length));
            return Read(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException("The stored conversation state is not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // A string the reader cannot turn into UTF-16 (an escaped lone surrogate).
            throw new FormatException("The stored conversation state holds invalid text: " + e.Message, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Write(Utf8JsonWriter writer, ConversationState state)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version"u8, ConversationState.CurrentVersion);
        Text(writer, "shop_id"u8, state.ShopId);
        Text(writer, "script_hash"u8, state.ScriptHash);
        Text(writer, "stage"u8, state.Stage);
        Number(writer, "turn"u8, state.Turn, 0);
        if (state.Slots.Count > 0)
        {
            writer.WriteStartObject("slots"u8);
            foreach (var (name, value) in state.Slots)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        Texts(writer, "asked"u8, state.Asked);
        Text(writer, "pending_slot"u8, state.PendingSlot);
        Text(writer, "pending_intent"u8, state.PendingIntent);
        if (state.Rotation.Count > 0)
        {
            writer.WriteStartObject("rotation"u8);
            foreach (var (key, used) in state.Rotation)
            {
                writer.WriteNumber(key, used);
            }

            writer.WriteEndObject();
        }

        Text(writer, "last_fallback"u8, state.LastFallback);
        Flag(writer, "order_placed"u8, state.OrderPlaced);
        Text(writer, "recommended_sku"u8, state.RecommendedSku);
        if (!BargainingState.Initial.Equals(state.Bargaining))
        {
            var bargaining = state.Bargaining;
            var initial = BargainingState.Initial;
            writer.WriteStartObject("bargaining"u8);
            Number(writer, "round"u8, bargaining.Round, initial.Round);
            Number(writer, "step_index"u8, bargaining.StepIndex, initial.StepIndex);
            Number(writer, "offered_minor"u8, bargaining.OfferedMinor, initial.OfferedMinor);
            Number(writer, "cart_list_total_minor"u8, bargaining.CartListTotalMinor, initial.CartListTotalMinor);
            Number(writer, "gift_cursor"u8, bargaining.GiftCursor, initial.GiftCursor);
            Texts(writer, "gifts_granted"u8, bargaining.GiftsGranted);
            Flag(writer, "held"u8, bargaining.Held);
            writer.WriteEndObject();
        }

        Number(writer, "complaint_step"u8, state.ComplaintStep, -1);
        Flag(writer, "complaint_waiting"u8, state.ComplaintWaiting);
        Texts(writer, "clarify_options"u8, state.ClarifyOptions);
        Number(writer, "agreed_total_minor"u8, state.AgreedTotalMinor, 0);
        Texts(writer, "notes"u8, state.Notes);
        writer.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string value)
    {
        if (value.Length > 0)
        {
            writer.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long value, long unset)
    {
        if (value != unset)
        {
            writer.WriteNumber(name, value);
        }
    }

    private static void Flag(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool value)
    {
        if (value)
        {
            writer.WriteBoolean(name, value);
        }
    }

    private static void Texts(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteStringValue(values[i]);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// One reader for every layout: they share their names, and each version only added properties
    /// (1 → 2: clarify_options and agreed_total_minor; 2 → 3: none, the same properties written as
    /// UTF-8 and left out at their defaults). A property absent from the row keeps its default;
    /// a property this code does not know is skipped.
    /// </summary>
    private static ConversationState Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            throw new FormatException("The stored conversation state is empty.");
        }

        Expect(ref reader, JsonTokenType.StartObject, "the state");
        int? version = null;
        string shopId = "", scriptHash = "", stage = "", pendingSlot = "", pendingIntent = "", lastFallback = "", recommendedSku = "";
        int turn = 0, complaintStep = -1;
        long agreedTotal = 0;
        bool orderPlaced = false, complaintWaiting = false;
        IReadOnlyDictionary<string, string> slots = ConversationState.EmptyMap;
        IReadOnlyDictionary<string, int> rotation = ConversationState.EmptyCounts;
        IReadOnlyList<string> asked = [], clarifyOptions = [], notes = [];
        var bargaining = BargainingState.Initial;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("version"u8))
            {
                version = Int32(ref reader, "version");
            }
            else if (reader.ValueTextEquals("shop_id"u8))
            {
                shopId = String(ref reader, "shop_id");
            }
            else if (reader.ValueTextEquals("script_hash"u8))
            {
                scriptHash = String(ref reader, "script_hash");
            }
            else if (reader.ValueTextEquals("stage"u8))
            {
                stage = String(ref reader, "stage");
            }
            else if (reader.ValueTextEquals("turn"u8))
            {
                turn = Int32(ref reader, "turn");
            }
            else if (reader.ValueTextEquals("slots"u8))
            {
                slots = Slots(ref reader);
            }
            else if (reader.ValueTextEquals("asked"u8))
            {
                asked = Strings(ref reader, "asked");
            }
            else if (reader.ValueTextEquals("pending_slot"u8))
            {
                pendingSlot = String(ref reader, "pending_slot");
            }
            else if (reader.ValueTextEquals("pending_intent"u8))
            {
                pendingIntent = String(ref reader, "pending_intent");
            }
            else if (reader.ValueTextEquals("rotation"u8))
            {
                rotation = Rotation(ref reader);
            }
            else if (reader.ValueTextEquals("last_fallback"u8))
            {
                lastFallback = String(ref reader, "last_fallback");
            }
            else if (reader.ValueTextEquals("order_placed"u8))
            {
                orderPlaced = Boolean(ref reader, "order_placed");
            }
            else if (reader.ValueTextEquals("recommended_sku"u8))
            {
                recommendedSku = String(ref reader, "recommended_sku");
            }
            else if (reader.ValueTextEquals("bargaining"u8))
            {
                bargaining = Bargaining(ref reader);
            }
            else if (reader.ValueTextEquals("complaint_step"u8))
            {
                complaintStep = Int32(ref reader, "complaint_step");
            }
            else if (reader.ValueTextEquals("complaint_waiting"u8))
            {
                complaintWaiting = Boolean(ref reader, "complaint_waiting");
            }
            else if (reader.ValueTextEquals("clarify_options"u8))
            {
                clarifyOptions = Strings(ref reader, "clarify_options");
            }
            else if (reader.ValueTextEquals("agreed_total_minor"u8))
            {
                agreedTotal = Int64(ref reader, "agreed_total_minor");
            }
            else if (reader.ValueTextEquals("notes"u8))
            {
                notes = Strings(ref reader, "notes");
            }
            else
            {
                Advance(ref reader);
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new FormatException("The stored conversation state has more after its end.");
        }

        if (version is not { } layout || layout < 1)
        {
            throw new FormatException("The stored conversation state has no layout version.");
        }

        if (layout > ConversationState.CurrentVersion)
        {
            throw new FormatException($"The stored conversation state has layout version {layout}, newer than this engine's {ConversationState.CurrentVersion}.");
        }

        return new ConversationState
        {
            Version = ConversationState.CurrentVersion,
            ShopId = shopId,
            ScriptHash = scriptHash,
            Stage = stage,
            Turn = turn,
            Slots = slots,
            Asked = asked,
            PendingSlot = pendingSlot,
            PendingIntent = pendingIntent,
            Rotation = rotation,
            LastFallback = lastFallback,
            OrderPlaced = orderPlaced,
            RecommendedSku = recommendedSku,
            Bargaining = bargaining,
            ComplaintStep = complaintStep,
            ComplaintWaiting = complaintWaiting,
            ClarifyOptions = clarifyOptions,
            AgreedTotalMinor = agreedTotal,
            Notes = notes,
        };
    }

    private static BargainingState Bargaining(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return BargainingState.Initial;
        }

        Expect(ref reader, JsonTokenType.StartObject, "bargaining");
        var initial = BargainingState.Initial;
        int round = initial.Round, step = initial.StepIndex, cursor = initial.GiftCursor;
        long offered = initial.OfferedMinor, listTotal = initial.CartListTotalMinor;
        IReadOnlyList<string> gifts = initial.GiftsGranted;
        var held = initial.Held;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("round"u8))
            {
                round = Int32(ref reader, "bargaining.round");
            }
            else if (reader.ValueTextEquals("step_index"u8))
            {
                step = Int32(ref reader, "bargaining.step_index");
            }
            else if (reader.ValueTextEquals("offered_minor"u8))
            {
                offered = Int64(ref reader, "bargaining.offered_minor");
            }
            else if (reader.ValueTextEquals("cart_list_total_minor"u8))
            {
                listTotal = Int64(ref reader, "bargaining.cart_list_total_minor");
            }
            else if (reader.ValueTextEquals("gift_cursor"u8))
            {
                cursor = Int32(ref reader, "bargaining.gift_cursor");
            }
            else if (reader.ValueTextEquals("gifts_granted"u8))
            {
                gifts = Strings(ref reader, "bargaining.gifts_granted");
            }
            else if (reader.ValueTextEquals("held"u8))
            {
                held = Boolean(ref reader, "bargaining.held");
            }
            else
            {
                Advance(ref reader);
                reader.Skip();
            }
        }

        var state = new BargainingState(round, step, offered, listTotal, cursor, gifts, held);
        return initial.Equals(state) ? initial : state;
    }

    private static Dictionary<string, string> Slots(ref Utf8JsonReader reader)
    {
        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StartMap(ref reader, "slots"))
        {
            while (NextProperty(ref reader))
            {
                var name = reader.GetString()!;
                slots[name] = String(ref reader, "slots");
            }
        }

        return slots;
    }

    private static Dictionary<string, int> Rotation(ref Utf8JsonReader reader)
    {
        var rotation = new Dictionary<string, int>(StringComparer.Ordinal);
        if (StartMap(ref reader, "rotation"))
        {
            while (NextProperty(ref reader))
            {
                var key = reader.GetString()!;
                rotation[key] = Int32(ref reader, "rotation");
            }
        }

        return rotation;
    }

    /// <summary>Moves onto a map's value; false for null (an empty map).</summary>
    private static bool StartMap(ref Utf8JsonReader reader, string what)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        Expect(ref reader, JsonTokenType.StartObject, what);
        return true;
    }

    private static IReadOnlyList<string> Strings(ref Utf8JsonReader reader, string what)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        Expect(ref reader, JsonTokenType.StartArray, what);
        List<string>? values = null;
        while (true)
        {
            Advance(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values is null ? [] : values;
            }

            Expect(ref reader, JsonTokenType.String, what);
            (values ??= []).Add(reader.GetString()!);
        }
    }

    /// <summary>Moves to the next property name of the object being read; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static string String(ref Utf8JsonReader reader, string what)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return "";
        }

        Expect(ref reader, JsonTokenType.String, what);
        return reader.GetString()!;
    }

    private static int Int32(ref Utf8JsonReader reader, string what)
    {
        Advance(ref reader);
        Expect(ref reader, JsonTokenType.Number, what);
        return reader.TryGetInt32(out var value) ? value : throw new FormatException($"The stored conversation state's {what} is not a whole number in range.");
    }

    private static long Int64(ref Utf8JsonReader reader, string what)
    {
        Advance(ref reader);
        Expect(ref reader, JsonTokenType.Number, what);
        return reader.TryGetInt64(out var value) ? value : throw new FormatException($"The stored conversation state's {what} is not a whole number in range.");
    }

    private static bool Boolean(ref Utf8JsonReader reader, string what)
    {
        Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new FormatException($"The stored conversation state's {what} is not true or false."),
        };
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("The stored conversation state ends too early.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new FormatException($"The stored conversation state's {what} is {reader.TokenType}, not {expected}.");
        }
    }
}
