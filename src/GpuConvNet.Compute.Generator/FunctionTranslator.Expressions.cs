using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class FunctionTranslator
{
    /// <summary>A view in C: where it starts, how long it is, and in which address space.</summary>
    private readonly struct ViewExpression
    {
        public ViewExpression(string pointer, string length, AddressSpace space)
        {
            Pointer = pointer;
            Length = length;
            Space = space;
        }

        public string Pointer { get; }

        public string Length { get; }

        public AddressSpace Space { get; }
    }

    /// <summary>
    /// An expression as C. Constants are folded to literals of their converted type; implicit numeric conversions
    /// become explicit casts so that C's promotion rules cannot change C#'s result type.
    /// </summary>
    private string Expression(ExpressionSyntax expression)
    {
        var info = model.GetTypeInfo(expression);
        var constant = model.GetConstantValue(expression);
        if (constant.HasValue)
        {
            return Constant(expression, constant.Value, info.ConvertedType ?? info.Type);
        }
        string raw = Raw(expression);
        if (info.Type is not null && info.ConvertedType is not null
            && !SymbolEqualityComparer.Default.Equals(info.Type, info.ConvertedType)
            && model.GetConversion(expression).IsNumeric)
        {
            return "((" + CType(info.ConvertedType, expression.GetLocation()) + ")" + Parenthesize(raw) + ")";
        }
        return raw;
    }

    private string Constant(ExpressionSyntax expression, object? value, ITypeSymbol? type)
    {
        switch (value)
        {
            case null:
                Report(Generator.Diagnostics.UnsupportedExpression, expression.GetLocation(), "null");
                return "0";
            case string:
                Report(Generator.Diagnostics.UnsupportedType, expression.GetLocation(), "string", ": devices have no strings");
                return "0";
            case double when type?.SpecialType == SpecialType.System_Double:
                CType(type, expression.GetLocation());
                return "0";
        }
        CType(type, expression.GetLocation());
        return Dialect.Literal(value!, type!.SpecialType);
    }

    /// <summary>
    /// <paramref name="text"/> in parentheses unless it is a name or a number. Whether a placeholder of the deferred
    /// dialect is one depends on the dialect (INFINITY, __int_as_float(…)), so that decision is deferred with it.
    /// </summary>
    private string Parenthesize(string text) => DeferredDialect.IsDeferred(text)
        ? program.Dialect.Defer(d => ParenthesizeWritten(program.Dialect.Render(text, d)))
        : ParenthesizeWritten(text);

    private static string ParenthesizeWritten(string text) =>
        text.Length > 0 && (char.IsLetterOrDigit(text[text.Length - 1]) || text[text.Length - 1] == '_')
        && text.All(c => char.IsLetterOrDigit(c) || c == '_') ? text : "(" + text + ")";

    private string Raw(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax { Expression: BinaryExpressionSyntax or ConditionalExpressionSyntax or CastExpressionSyntax } parenthesized:
                // These are parenthesised when translated already.
                return Expression(parenthesized.Expression);
            case ParenthesizedExpressionSyntax parenthesized:
                return "(" + Expression(parenthesized.Expression) + ")";
            case IdentifierNameSyntax identifier:
                return Identifier(identifier);
            case MemberAccessExpressionSyntax member:
                return MemberAccess(member);
            case ElementAccessExpressionSyntax element:
                return ElementAccess(element);
            case InvocationExpressionSyntax invocation:
                return Invocation(invocation);
            case BinaryExpressionSyntax binary:
                return Binary(binary);
            case AssignmentExpressionSyntax assignment:
                return Assignment(assignment);
            case PrefixUnaryExpressionSyntax prefix:
                return Prefix(prefix);
            case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression):
                return Expression(postfix.Operand) + postfix.OperatorToken.Text;
            case ConditionalExpressionSyntax conditional:
                return "(" + Expression(conditional.Condition) + " ? " + Expression(conditional.WhenTrue) + " : " + Expression(conditional.WhenFalse) + ")";
            case CastExpressionSyntax cast:
                return "((" + CType(model.GetTypeInfo(cast.Type).Type, cast.Type.GetLocation()) + ")" + Parenthesize(Expression(cast.Expression)) + ")";
            case BaseObjectCreationExpressionSyntax creation when Known.IsSpecializedValue(model.GetTypeInfo(creation).Type):
                Report(Generator.Diagnostics.SpecializedValueMisuse, expression.GetLocation(), "Creating '" + Shorten(expression) + "' in kernel code");
                return "0";
            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax
                or ImplicitArrayCreationExpressionSyntax or AnonymousObjectCreationExpressionSyntax or CollectionExpressionSyntax
                or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                Report(Generator.Diagnostics.Allocation, expression.GetLocation(), Shorten(expression));
                return "0";
            case LambdaExpressionSyntax or AnonymousMethodExpressionSyntax:
                Report(Generator.Diagnostics.Delegates, expression.GetLocation(), "lambda");
                return "0";
            case QueryExpressionSyntax:
                Report(Generator.Diagnostics.Linq, expression.GetLocation());
                return "0";
            case ThrowExpressionSyntax:
                Report(Generator.Diagnostics.Exceptions, expression.GetLocation(), "throw");
                return "0";
            case InterpolatedStringExpressionSyntax:
                Report(Generator.Diagnostics.UnsupportedType, expression.GetLocation(), "string", ": devices have no strings");
                return "0";
            default:
                Report(Generator.Diagnostics.UnsupportedExpression, expression.GetLocation(), "'" + Shorten(expression) + "'");
                return "0";
        }
    }

    private static string Shorten(SyntaxNode node)
    {
        string text = node.ToString();
        return text.Length > 40 ? text.Substring(0, 37) + "..." : text;
    }

    private string Identifier(IdentifierNameSyntax identifier)
    {
        var symbol = model.GetSymbolInfo(identifier).Symbol;
        if (symbol is not null && variables.TryGetValue(symbol, out var variable))
        {
            switch (variable.Kind)
            {
                case VariableKind.Scalar:
                    return variable.Name;
                case VariableKind.Specialized:
                    return SpecializedRead(identifier, variable);
                case VariableKind.Index when kernel?.IndexRank == 1:
                    // Index1D converts to int: its X component.
                    return variable.Name + "_x";
                case VariableKind.Index:
                    Report(Generator.Diagnostics.UnsupportedExpression, identifier.GetLocation(),
                        "Using the whole index '" + identifier.Identifier.Text + "' (read .X, .Y, .Z)");
                    return "0";
                default:
                    Report(Generator.Diagnostics.UnsupportedExpression, identifier.GetLocation(),
                        "Using the view or array '" + identifier.Identifier.Text + "' as a value (index it, pass it to a kernel function, or read .Length)");
                    return "0";
            }
        }
        switch (symbol)
        {
            case IFieldSymbol or IPropertySymbol:
                Report(Generator.Diagnostics.NonConstantMember, identifier.GetLocation(), identifier.Identifier.Text);
                return "0";
            case IMethodSymbol:
                Report(Generator.Diagnostics.Delegates, identifier.GetLocation(), "method group " + identifier.Identifier.Text);
                return "0";
            default:
                Report(Generator.Diagnostics.UnsupportedExpression, identifier.GetLocation(), "'" + identifier.Identifier.Text + "'");
                return "0";
        }
    }

    /// <summary>
    /// A specialised parameter converted to its scalar (implicitly, or as <c>p.Value</c>): its placeholder. Used as a
    /// whole (passed on, stored), it would need a value the device code does not have (GCN0017).
    /// </summary>
    private string SpecializedRead(ExpressionSyntax use, Variable variable)
    {
        if (Known.IsSpecializedValue(model.GetTypeInfo(use).ConvertedType))
        {
            Report(Generator.Diagnostics.SpecializedValueMisuse, use.GetLocation(), "Using '" + Shorten(use) + "' as a SpecializedValue (passed, stored or compared whole)");
            return "0";
        }
        return variable.Name;
    }

    private string MemberAccess(MemberAccessExpressionSyntax member)
    {
        var symbol = model.GetSymbolInfo(member).Symbol;
        string name = member.Name.Identifier.Text;
        var containing = symbol?.ContainingType;
        if (symbol is IPropertySymbol { Name: "Value" } && Known.IsSpecializedValue(containing))
        {
            if (member.Expression is IdentifierNameSyntax && model.GetSymbolInfo(member.Expression).Symbol is { } owner
                && variables.TryGetValue(owner, out var specialized) && specialized.Kind == VariableKind.Specialized)
            {
                return specialized.Name;
            }
            // Any other SpecializedValue (created here, a local) is reported where it is made.
            return Expression(member.Expression);
        }
        if (StridedMember(member, symbol) is { } strided)
        {
            return strided;
        }
        // IntLength and IntExtent are ILGPU's int forms of Length (a 1-D index is an int in C).
        if (symbol is IPropertySymbol && (name == "Length" || (name is "IntLength" or "IntExtent" && Known.IsArrayView(containing)))
            && (Known.IsArrayView(containing) || Known.IsSpan(containing)))
        {
            return TargetVariable(member.Expression, out var target) ? target!.Length : View(member.Expression).Length;
        }
        if (symbol is IPropertySymbol && Known.IndexRank(containing) > 0 && name.Length == 1)
        {
            int dimension = name[0] - 'X';
            if (member.Expression is MemberAccessExpressionSyntax inner
                && model.GetSymbolInfo(inner).Symbol is IPropertySymbol { Name: "GlobalIndex" or "Index" or "Dimension" } whole
                && (KnownSymbols.Is(whole.ContainingType, Known.Grid) || KnownSymbols.Is(whole.ContainingType, Known.Group)))
            {
                // Grid.GlobalIndex.X, Group.Index.Y, Grid.Dimension.Z, …: the built-in of that dimension.
                bool ofGroup = KnownSymbols.Is(whole.ContainingType, Known.Group);
                var builtin = whole.Name switch
                {
                    "GlobalIndex" => BuiltinIndex.Global,
                    "Index" => ofGroup ? BuiltinIndex.Local : BuiltinIndex.Group,
                    _ => ofGroup ? BuiltinIndex.GroupSize : BuiltinIndex.GridSize,
                };
                return GroupBuiltin(member, builtin, dimension);
            }
            if (member.Expression is IdentifierNameSyntax
                && model.GetSymbolInfo(member.Expression).Symbol is { } indexSymbol
                && variables.TryGetValue(indexSymbol, out var index) && index.Kind == VariableKind.Index)
            {
                if (dimension >= kernel!.IndexRank)
                {
                    Report(Generator.Diagnostics.UnsupportedExpression, member.GetLocation(), "Dimension " + name + " of a " + kernel.IndexRank + "D index");
                    return "0";
                }
                return index.Name + "_" + (char)('x' + dimension);
            }
        }
        if (symbol is IPropertySymbol && (KnownSymbols.Is(containing, Known.Group) || KnownSymbols.Is(containing, Known.Grid)))
        {
            bool group = KnownSymbols.Is(containing, Known.Group);
            int dimension = name.Length == 4 ? name[3] - 'X' : -1;
            if (dimension is >= 0 and <= 2 && name.StartsWith("Idx"))
            {
                return GroupBuiltin(member, group ? BuiltinIndex.Local : BuiltinIndex.Group, dimension);
            }
            if (dimension is >= 0 and <= 2 && name.StartsWith("Dim"))
            {
                return GroupBuiltin(member, group ? BuiltinIndex.GroupSize : BuiltinIndex.GridSize, dimension);
            }
            if (name == "LinearIndex")
            {
                return LinearIndex(member, group ? BuiltinIndex.Local : BuiltinIndex.Group, group ? BuiltinIndex.GroupSize : BuiltinIndex.GridSize);
            }
            if (group && name is "IsFirstThread" or "IsLastThread")
            {
                string linear = LinearIndex(member, BuiltinIndex.Local, BuiltinIndex.GroupSize);
                return name == "IsFirstThread" ? "(" + linear + " == 0)"
                    : "(" + linear + " == " + string.Join(" * ", Enumerable.Range(0, 3).Select(d => GroupBuiltin(member, BuiltinIndex.GroupSize, d))) + " - 1)";
            }
        }
        if (symbol is IPropertySymbol && KnownSymbols.Is(containing, Known.Warp))
        {
            return WarpProperty(member, name);
        }
        if (IlgpuCounterparts.IsIlgpu(symbol))
        {
            Report(Generator.Diagnostics.IlgpuMember, member.GetLocation(), symbol!.ContainingType.Name + "." + symbol.Name, IlgpuCounterparts.Advice(symbol));
            return "0";
        }
        Report(Generator.Diagnostics.NonConstantMember, member.GetLocation(), member.ToString());
        return "0";
    }

    /// <summary>(z·sizeY + y)·sizeX + x of an index and its sizes: Group.LinearIndex, Grid.LinearIndex.</summary>
    private string LinearIndex(SyntaxNode node, BuiltinIndex index, BuiltinIndex size) =>
        "((" + GroupBuiltin(node, index, 2) + " * " + GroupBuiltin(node, size, 1) + " + " + GroupBuiltin(node, index, 1) + ") * "
        + GroupBuiltin(node, size, 0) + " + " + GroupBuiltin(node, index, 0) + ")";

    private string GroupBuiltin(SyntaxNode node, BuiltinIndex kind, int dimension)
    {
        if (kernel is { IsGrouped: false })
        {
            Report(Generator.Diagnostics.GroupFeatureMisuse, node.GetLocation(),
                "'" + node + "' needs an explicitly grouped kernel: an auto-grouped kernel reads its position from its index parameter");
            return "0";
        }
        return Dialect.Builtin(kind, dimension);
    }

    private string ElementAccess(ElementAccessExpressionSyntax element)
    {
        if (TargetVariable(element.Expression, out var strided) && strided!.Kind == VariableKind.StridedView)
        {
            return StridedElement(strided, element);
        }
        if (element.ArgumentList.Arguments.Count != 1)
        {
            Report(Generator.Diagnostics.UnsupportedExpression, element.GetLocation(), "Multi-dimensional indexing");
            return "0";
        }
        string index = Expression(element.ArgumentList.Arguments[0].Expression);
        if (TargetVariable(element.Expression, out var target) && target!.Kind is VariableKind.View or VariableKind.PrivateArray)
        {
            return target.Name + "[" + index + "]";
        }
        var type = model.GetTypeInfo(element.Expression).Type;
        if (Known.IsArrayView(type))
        {
            return Parenthesize(View(element.Expression).Pointer) + "[" + index + "]";
        }
        Report(Generator.Diagnostics.UnsupportedExpression, element.GetLocation(), "Indexing '" + Shorten(element.Expression) + "'");
        return "0";
    }

    private bool TargetVariable(ExpressionSyntax expression, out Variable? variable)
    {
        variable = null;
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }
        var symbol = expression is IdentifierNameSyntax ? model.GetSymbolInfo(expression).Symbol : null;
        return symbol is not null && variables.TryGetValue(symbol, out variable);
    }

    /// <summary>A view-typed expression: a view variable, a shared array, x.SubView(offset[, length]), or a 2-D or 3-D view's BaseView.</summary>
    private ViewExpression View(ExpressionSyntax expression)
    {
        if (StridedBase(expression) is { } strided)
        {
            return strided;
        }
        if (TargetVariable(expression, out var variable) && variable!.Kind == VariableKind.View)
        {
            return new ViewExpression(variable.Name, variable.Length, variable.Space);
        }
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }
        if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "SubView" } access } invocation
            && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol subView && Known.IsArrayView(subView.ContainingType))
        {
            var source = View(access.Expression);
            var arguments = invocation.ArgumentList.Arguments;
            string offset = Expression(arguments[0].Expression);
            string length = arguments.Count > 1 ? Expression(arguments[1].Expression) : "(" + source.Length + " - " + Parenthesize(offset) + ")";
            return new ViewExpression("(" + source.Pointer + " + " + Parenthesize(offset) + ")", length, source.Space);
        }
        Report(Generator.Diagnostics.UnsupportedExpression, expression.GetLocation(), "The view expression '" + Shorten(expression) + "'");
        return new ViewExpression("0", "0", AddressSpace.Global);
    }

    private string Binary(BinaryExpressionSyntax binary)
    {
        switch (binary.Kind())
        {
            case SyntaxKind.CoalesceExpression:
            case SyntaxKind.IsExpression:
            case SyntaxKind.AsExpression:
            case SyntaxKind.UnsignedRightShiftExpression:
                Report(Generator.Diagnostics.UnsupportedExpression, binary.OperatorToken.GetLocation(), "The '" + binary.OperatorToken.Text + "' operator");
                return "0";
        }
        return "(" + Expression(binary.Left) + " " + binary.OperatorToken.Text + " " + Expression(binary.Right) + ")";
    }

    private string Assignment(AssignmentExpressionSyntax assignment)
    {
        if (assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression) || assignment.IsKind(SyntaxKind.UnsignedRightShiftAssignmentExpression))
        {
            Report(Generator.Diagnostics.UnsupportedExpression, assignment.OperatorToken.GetLocation(), "The '" + assignment.OperatorToken.Text + "' operator");
            return "0";
        }
        if (Known.IsArrayView(model.GetTypeInfo(assignment.Left).Type))
        {
            if (!TargetVariable(assignment.Left, out var target) || target!.Space == AddressSpace.Local && target.Length.All(char.IsDigit))
            {
                Report(Generator.Diagnostics.UnsupportedExpression, assignment.GetLocation(), "Assigning to this view");
                return "0";
            }
            var view = View(assignment.Right);
            if (view.Space != target.Space)
            {
                Report(Generator.Diagnostics.UnsupportedExpression, assignment.GetLocation(),
                    "Assigning a " + view.Space + " view to a " + target.Space + " view variable (OpenCL pointers keep their address space)");
            }
            return target.Name + " = " + view.Pointer + ", " + target.Length + " = " + view.Length;
        }
        if (assignment.Left is not (IdentifierNameSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax))
        {
            Report(Generator.Diagnostics.UnsupportedExpression, assignment.Left.GetLocation(), "Assigning to '" + Shorten(assignment.Left) + "'");
            return "0";
        }
        return Expression(assignment.Left) + " " + assignment.OperatorToken.Text + " " + Expression(assignment.Right);
    }

    private string Prefix(PrefixUnaryExpressionSyntax prefix)
    {
        switch (prefix.Kind())
        {
            case SyntaxKind.UnaryMinusExpression:
            case SyntaxKind.UnaryPlusExpression:
            case SyntaxKind.LogicalNotExpression:
            case SyntaxKind.BitwiseNotExpression:
                return "(" + prefix.OperatorToken.Text + Parenthesize(Expression(prefix.Operand)) + ")";
            case SyntaxKind.PreIncrementExpression:
            case SyntaxKind.PreDecrementExpression:
                return prefix.OperatorToken.Text + Expression(prefix.Operand);
            default:
                Report(Generator.Diagnostics.UnsupportedExpression, prefix.OperatorToken.GetLocation(), "The '" + prefix.OperatorToken.Text + "' operator");
                return "0";
        }
    }

    private string Invocation(InvocationExpressionSyntax invocation)
    {
        if (model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol target)
        {
            Report(Generator.Diagnostics.UnsupportedCall, invocation.Expression.GetLocation(), Shorten(invocation.Expression));
            return "0";
        }
        if (target.MethodKind is MethodKind.LocalFunction or MethodKind.DelegateInvoke)
        {
            Report(Generator.Diagnostics.Delegates, invocation.Expression.GetLocation(),
                (target.MethodKind == MethodKind.LocalFunction ? "local function " : "delegate invocation ") + Shorten(invocation.Expression));
            return "0";
        }
        if (target.ContainingNamespace?.ToDisplayString() == "System.Linq")
        {
            Report(Generator.Diagnostics.Linq, invocation.Expression.GetLocation());
            return "0";
        }
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => a.NameColon is not null) || arguments.Count != target.Parameters.Length)
        {
            Report(Generator.Diagnostics.UnsupportedExpression, invocation.ArgumentList.GetLocation(),
                "Named or omitted optional arguments (pass every argument in order)");
            return "0";
        }
        var type = target.ContainingType;
        if (IlgpuCounterparts.IsIlgpu(target))
        {
            Report(Generator.Diagnostics.IlgpuMember, invocation.Expression.GetLocation(), target.ContainingType.Name + "." + target.Name, IlgpuCounterparts.Advice(target));
            return "0";
        }
        if (KnownSymbols.Is(type, Known.SpecializedValueFactory))
        {
            Report(Generator.Diagnostics.SpecializedValueMisuse, invocation.GetLocation(), "Creating '" + Shorten(invocation) + "' in kernel code");
            return "0";
        }
        if (KnownSymbols.Is(type, Known.MathF) || KnownSymbols.Is(type, Known.Math))
        {
            return MathIntrinsic(invocation, target);
        }
        if (KnownSymbols.Is(type, Known.Group) && target.Name == "Barrier")
        {
            // In a kernel function, the kernel that reaches it decides (none while the function is checked on its own).
            var context = kernel ?? program.Kernel;
            if (context is { IsGrouped: false })
            {
                Report(Generator.Diagnostics.GroupFeatureMisuse, invocation.GetLocation(), kernel is null
                    ? "Group.Barrier() in kernel function " + method.Name + " waits for the group, but auto-grouped kernel " + context.Symbol.Name + " (Index1D/2D/3D) reaches it: it has no groups"
                    : "Group.Barrier() needs an explicitly grouped kernel: an auto-grouped (Index1D/2D/3D) kernel has no groups");
                return "0";
            }
            return Dialect.Barrier;
        }
        if (KnownSymbols.Is(type, Known.Group) && KnownSymbols.IsGroupCollective(target))
        {
            return GroupCollective(invocation, target);
        }
        if (KnownSymbols.Is(type, Known.Warp) || KnownSymbols.Is(type, Known.GroupExtensions) || KnownSymbols.Is(type, Known.WarpExtensions))
        {
            return WarpCall(invocation, target);
        }
        if (KnownSymbols.Is(type, Known.SharedMemory))
        {
            Report(Generator.Diagnostics.GroupFeatureMisuse, invocation.GetLocation(),
                "SharedMemory." + target.Name + " must initialise a local: var tile = SharedMemory.Allocate<float>(256);");
            return "0";
        }
        if (KnownSymbols.Is(type, Known.LocalMemory))
        {
            Report(Generator.Diagnostics.UnsupportedExpression, invocation.GetLocation(),
                "A LocalMemory.Allocate that does not initialise a local (var a = LocalMemory.Allocate<float>(8);)");
            return "0";
        }
        if (KnownSymbols.Is(type, Known.Atomic))
        {
            return AtomicCall(invocation, target);
        }
        if (Known.IsArrayView(type) && target.Name == "SubView")
        {
            Report(Generator.Diagnostics.UnsupportedExpression, invocation.GetLocation(),
                "A SubView that is neither stored in a local nor passed to a kernel function");
            return "0";
        }
        if (Known.IsKernelFunction(target) && SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, Known.Compilation.Assembly))
        {
            return FunctionCall(invocation, target);
        }
        Report(Generator.Diagnostics.UnsupportedCall, invocation.Expression.GetLocation(), target.ContainingType.Name + "." + target.Name);
        return "0";
    }

    private string FunctionCall(InvocationExpressionSyntax invocation, IMethodSymbol target)
    {
        if (Known.WaitsAtBarriers(target) && !IsStatementOfItsOwn(invocation))
        {
            // The CPU accelerator steps such a call lane by lane from barrier to barrier: it must stand alone.
            Report(Generator.Diagnostics.GroupFeatureMisuse, invocation.GetLocation(),
                "Kernel function " + target.Name + " waits at barriers: call it as a statement of its own, directly in a block (" +
                target.Name + "(…); var x = " + target.Name + "(…); or x = " + target.Name + "(…);)");
        }
        var values = new List<string>();
        var spaces = new List<AddressSpace>();
        for (int i = 0; i < target.Parameters.Length; i++)
        {
            var argument = invocation.ArgumentList.Arguments[i].Expression;
            if (Known.IsArrayView(target.Parameters[i].Type))
            {
                var view = View(argument);
                spaces.Add(view.Space);
                values.Add(view.Pointer);
                values.Add(view.Length);
            }
            else
            {
                values.Add(Expression(argument));
            }
        }
        string name = program.RequestFunction(target, spaces, invocation);
        return name + "(" + string.Join(", ", values) + ")";
    }

    /// <summary>F(…); or T x = F(…); or x = F(…); (x a local or an element), directly in a block.</summary>
    private static bool IsStatementOfItsOwn(InvocationExpressionSyntax invocation) => invocation.Parent switch
    {
        ExpressionStatementSyntax statement => statement.Parent is BlockSyntax,
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax local } } } =>
            local.Parent is BlockSyntax,
        AssignmentExpressionSyntax assignment => assignment.Right == invocation
            && assignment.Left is IdentifierNameSyntax or ElementAccessExpressionSyntax
            && assignment.Parent is ExpressionStatementSyntax { Parent: BlockSyntax },
        _ => false,
    };

    private string AtomicCall(InvocationExpressionSyntax invocation, IMethodSymbol target)
    {
        var arguments = invocation.ArgumentList.Arguments;
        var elementType = target.Parameters[0].Type.SpecialType;
        if (arguments[0].RefKindKeyword.IsKind(SyntaxKind.RefKeyword) && arguments[0].Expression is IdentifierNameSyntax identifier
            && model.GetSymbolInfo(identifier).Symbol is { } local && variables.TryGetValue(local, out var shared)
            && shared is { Kind: VariableKind.Scalar, Space: AddressSpace.Local })
        {
            // ref T x = ref SharedMemory.Allocate<T>(): its element, in shared memory.
            string? sharedFunction = Dialect.Atomic(target.Name, elementType, AddressSpace.Local, program.Helpers);
            if (sharedFunction is null)
            {
                Report(Generator.Diagnostics.UnsupportedCall, invocation.Expression.GetLocation(), "Atomic." + target.Name);
                return "0";
            }
            return sharedFunction + "(&" + shared.Name + ", " + string.Join(", ", arguments.Skip(1).Select(a => Expression(a.Expression))) + ")";
        }
        if (!arguments[0].RefKindKeyword.IsKind(SyntaxKind.RefKeyword)
            || arguments[0].Expression is not ElementAccessExpressionSyntax element)
        {
            Report(Generator.Diagnostics.UnsupportedExpression, arguments[0].GetLocation(),
                "An atomic on anything but an element of a view (Atomic.Add(ref view[i], value))");
            return "0";
        }
        var space = TargetVariable(element.Expression, out var variable) ? variable!.Space : View(element.Expression).Space;
        if (Dialect.Atomic(target.Name, elementType, space, program.Helpers) is not { } function)
        {
            Report(Generator.Diagnostics.UnsupportedCall, invocation.Expression.GetLocation(), "Atomic." + target.Name);
            return "0";
        }
        var operands = arguments.Skip(1).Select(a => Expression(a.Expression));
        return function + "(&" + ElementAccess(element) + ", " + string.Join(", ", operands) + ")";
    }

    private string MathIntrinsic(InvocationExpressionSyntax invocation, IMethodSymbol target)
    {
        var arguments = invocation.ArgumentList.Arguments.Select(a => Expression(a.Expression)).ToList();
        var type = target.Parameters.Length > 0 ? target.Parameters[0].Type.SpecialType : SpecialType.None;
        if (type == SpecialType.System_Single && FloatIntrinsics.TryGetValue(target.Name, out var function))
        {
            return Dialect.FloatFunction(function) + "(" + string.Join(", ", arguments) + ")";
        }
        if (type is SpecialType.System_Int32 or SpecialType.System_Int64 && target.Name is "Max" or "Min" or "Abs")
        {
            string ctype = Dialect.TypeName(type);
            string name = "gcn_" + target.Name.ToLowerInvariant() + "_" + (type == SpecialType.System_Int32 ? "int" : "long");
            string body = target.Name switch
            {
                "Max" => "(" + ctype + " a, " + ctype + " b) { return a > b ? a : b; }",
                "Min" => "(" + ctype + " a, " + ctype + " b) { return a < b ? a : b; }",
                _ => "(" + ctype + " a) { return a < 0 ? -a : a; }",
            };
            program.Helpers.Add(name, Dialect.FunctionQualifier + ctype + " " + name + body);
            return name + "(" + string.Join(", ", arguments) + ")";
        }
        Report(Generator.Diagnostics.UnsupportedCall, invocation.Expression.GetLocation(),
            target.ContainingType.Name + "." + target.Name + "(" + string.Join(", ", target.Parameters.Select(p => p.Type.ToDisplayString())) + ")");
        return "0";
    }

    /// <summary>MathF (and Math on floats) → C function (CUDA appends f). Max/Min follow IEEE fmax/fmin on NaN.</summary>
    private static readonly Dictionary<string, string> FloatIntrinsics = new()
    {
        ["Exp"] = "exp", ["Log"] = "log", ["Sqrt"] = "sqrt", ["Tanh"] = "tanh", ["Floor"] = "floor",
        ["Ceiling"] = "ceil", ["Abs"] = "fabs", ["Max"] = "fmax", ["Min"] = "fmin", ["Pow"] = "pow",
        ["Sin"] = "sin", ["Cos"] = "cos", ["Truncate"] = "trunc", ["Round"] = "rint", ["FusedMultiplyAdd"] = "fma",
        ["Log2"] = "log2", ["Exp2"] = "exp2",
    };
}
