using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;

namespace AeGen.Tests.Generation;

/// <summary>Counts in a method's IL the quantities the JIT compares with its limits for optimizing a method.</summary>
internal sealed record ILStatistics(int Bytes, int Instructions, int Locals, int LocalReferences, int BasicBlocks)
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = LoadOpCodes();

    public static ILStatistics Of(MethodInfo method)
    {
        MethodBody body = method.GetMethodBody() ?? throw new ArgumentException($"{method.Name} has no IL.", nameof(method));
        byte[] il = body.GetILAsByteArray()!;
        int instructions = 0, localReferences = 0;
        var blockStarts = new HashSet<int> { 0 };
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            OpCode op = OpCodesByValue[value];
            at += op.Size;
            int operand = OperandSize(op, il, at);
            if (IsLocalAccess(op))
            {
                localReferences++;
            }

            if (op.OperandType is OperandType.InlineBrTarget or OperandType.ShortInlineBrTarget)
            {
                int offset = op.OperandType == OperandType.ShortInlineBrTarget ? (sbyte)il[at] : BitConverter.ToInt32(il, at);
                blockStarts.Add(at + operand + offset);
                blockStarts.Add(at + operand);
            }

            at += operand;
            instructions++;
        }

        return new ILStatistics(il.Length, instructions, body.LocalVariables.Count, localReferences, blockStarts.Count);
    }

    private static bool IsLocalAccess(OpCode op) =>
        op.Name!.StartsWith("ldloc", StringComparison.Ordinal) || op.Name.StartsWith("stloc", StringComparison.Ordinal);

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    private static Dictionary<short, OpCode> LoadOpCodes()
    {
        var table = new Dictionary<short, OpCode>();
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            table[op.Value] = op;
        }

        return table;
    }
}
