using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class FunctionTranslator
{
    private void Statement(StatementSyntax statement)
    {
        switch (statement)
        {
            case BlockSyntax block:
                Line("{");
                indent++;
                foreach (var inner in block.Statements)
                {
                    Statement(inner);
                }
                indent--;
                Line("}");
                break;
            case LocalDeclarationStatementSyntax declaration:
                LocalDeclaration(declaration);
                break;
            case ExpressionStatementSyntax expression:
                Line(Expression(expression.Expression) + ";");
                break;
            case IfStatementSyntax ifStatement:
                If(ifStatement);
                break;
            case ForStatementSyntax forStatement:
                For(forStatement);
                break;
            case WhileStatementSyntax whileStatement:
                Line("while (" + Condition(whileStatement.Condition) + ")");
                Nested(whileStatement.Statement);
                break;
            case DoStatementSyntax doStatement:
                Line("do");
                Nested(doStatement.Statement);
                Line("while (" + Condition(doStatement.Condition) + ");");
                break;
            case BreakStatementSyntax:
                Line("break;");
                break;
            case ContinueStatementSyntax:
                Line("continue;");
                break;
            case ReturnStatementSyntax ret:
                Line(ret.Expression is null ? "return;" : "return " + Expression(ret.Expression) + ";");
                break;
            case EmptyStatementSyntax:
                Line(";");
                break;
            case ThrowStatementSyntax:
                Report(Generator.Diagnostics.Exceptions, statement.GetFirstToken().GetLocation(), "throw");
                break;
            case TryStatementSyntax:
                Report(Generator.Diagnostics.Exceptions, statement.GetFirstToken().GetLocation(), "try");
                break;
            case LocalFunctionStatementSyntax local:
                Report(Generator.Diagnostics.Delegates, local.Identifier.GetLocation(), "local function " + local.Identifier.Text);
                break;
            default:
                Report(Generator.Diagnostics.UnsupportedStatement, statement.GetFirstToken().GetLocation(),
                    statement.GetFirstToken().Text);
                break;
        }
    }

    /// <summary>A condition without the parentheses its binary expression brings (if ((a == b)) reads badly and makes clang warn).</summary>
    private string Condition(ExpressionSyntax condition)
    {
        string text = Expression(condition);
        // Where the parentheses are can depend on the dialect's text: decide once it is written.
        return DeferredDialect.IsDeferred(text) ? program.Dialect.Defer(d => WithoutOuterParentheses(program.Dialect.Render(text, d))) : WithoutOuterParentheses(text);
    }

    private static string WithoutOuterParentheses(string text)
    {
        if (text.Length < 2 || text[0] != '(' || text[text.Length - 1] != ')')
        {
            return text;
        }
        int depth = 0;
        for (int i = 0; i < text.Length - 1; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return text; // the first parenthesis closes before the end: (a) && (b)
            }
        }
        return text.Substring(1, text.Length - 2);
    }

    /// <summary>A statement nested under if/for/while, always braced in C.</summary>
    private void Nested(StatementSyntax statement)
    {
        if (statement is BlockSyntax)
        {
            Statement(statement);
            return;
        }
        Line("{");
        indent++;
        Statement(statement);
        indent--;
        Line("}");
    }

    private void If(IfStatementSyntax statement)
    {
        Line("if (" + Condition(statement.Condition) + ")");
        Nested(statement.Statement);
        if (statement.Else is not null)
        {
            if (statement.Else.Statement is IfStatementSyntax elseIf)
            {
                Line("else");
                Line("{");
                indent++;
                If(elseIf);
                indent--;
                Line("}");
            }
            else
            {
                Line("else");
                Nested(statement.Else.Statement);
            }
        }
    }

    private void For(ForStatementSyntax statement)
    {
        string initializer = statement.Declaration is not null
            ? ScalarDeclaration(statement.Declaration, isConst: false)
            : string.Join(", ", statement.Initializers.Select(Expression));
        string condition = statement.Condition is null ? "" : Condition(statement.Condition);
        string step = string.Join(", ", statement.Incrementors.Select(Expression));
        if (HasConstantTripCount(statement))
        {
            // Short constant loops (register tiles) unroll into straight-line code with the accumulators in registers.
            output.Append("#pragma unroll\n");
        }
        Line("for (" + initializer + "; " + condition + "; " + step + ")");
        Nested(statement.Statement);
    }

    /// <summary>
    /// for (int i = C0; i &lt; C1; i++) with constants and at most 64 trips, or with a bound made of specialised
    /// values (a tile size the caller compiles in: unrolling it is why it was specialised).
    /// </summary>
    private bool HasConstantTripCount(ForStatementSyntax statement)
    {
        if (statement.Declaration is not { Variables.Count: 1 } declaration
            || declaration.Variables[0].Initializer?.Value is not { } start
            || model.GetConstantValue(start).Value is not int first
            || statement.Condition is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression } condition
            || statement.Incrementors.Count != 1
            || statement.Incrementors[0] is not (PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression }
                or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression }))
        {
            return false;
        }
        return model.GetConstantValue(condition.Right).Value is int last ? last - first is > 0 and <= 64 : IsSpecializedConstant(condition.Right);
    }

    /// <summary>
    /// The C text of an array size known when the kernel compiles — a positive constant, or an expression of
    /// constants and specialised parameters — or null (GCN0012).
    /// </summary>
    private string? CompileTimeSize(ExpressionSyntax size)
    {
        if (model.GetConstantValue(size).Value is int constant)
        {
            return constant > 0 ? constant.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        return IsSpecializedConstant(size) ? Expression(size) : null;
    }

    /// <summary>An expression of constants and specialised parameters, with at least one of the latter.</summary>
    private bool IsSpecializedConstant(ExpressionSyntax expression)
    {
        bool specialized = false;
        bool Known(ExpressionSyntax e)
        {
            if (model.GetConstantValue(e).HasValue)
            {
                return true;
            }
            switch (e)
            {
                case ParenthesizedExpressionSyntax p:
                    return Known(p.Expression);
                case CastExpressionSyntax c:
                    return Known(c.Expression);
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression or (int)SyntaxKind.UnaryPlusExpression } u:
                    return Known(u.Operand);
                case BinaryExpressionSyntax b when b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
                    or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression
                    or SyntaxKind.LeftShiftExpression or SyntaxKind.RightShiftExpression:
                    return Known(b.Left) && Known(b.Right);
                case ConditionalExpressionSyntax c:
                    return Known(c.Condition) && Known(c.WhenTrue) && Known(c.WhenFalse);
                case BinaryExpressionSyntax b when b.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
                    or SyntaxKind.LessThanExpression or SyntaxKind.GreaterThanExpression:
                    return Known(b.Left) && Known(b.Right);
                case IdentifierNameSyntax or MemberAccessExpressionSyntax { Name.Identifier.Text: "Value" }:
                    var owner = e is MemberAccessExpressionSyntax m ? m.Expression : e;
                    bool isSpecialized = model.GetSymbolInfo(owner).Symbol is { } symbol
                        && variables.TryGetValue(symbol, out var variable) && variable.Kind == VariableKind.Specialized;
                    specialized |= isSpecialized;
                    return isSpecialized;
                default:
                    return false;
            }
        }
        return Known(expression) && specialized;
    }

    private void LocalDeclaration(LocalDeclarationStatementSyntax statement)
    {
        if (statement.UsingKeyword.IsKind(SyntaxKind.UsingKeyword))
        {
            Report(Generator.Diagnostics.UnsupportedStatement, statement.UsingKeyword.GetLocation(), "using");
            return;
        }
        var declaration = statement.Declaration;
        if (declaration.Type is RefTypeSyntax)
        {
            SharedScalar(declaration);
            return;
        }
        var type = model.GetTypeInfo(declaration.Type).Type;
        if (Known.IsStridedView(type) || declaration.Type.IsVar && declaration.Variables.Any(v => Known.IsStridedView((model.GetDeclaredSymbol(v) as ILocalSymbol)?.Type)))
        {
            foreach (var variable in declaration.Variables)
            {
                StridedDeclaration(variable);
            }
            return;
        }
        if (Known.IsArrayView(type) || Known.IsSpan(type) || declaration.Type.IsVar && declaration.Variables.Any(IsViewOrSpan))
        {
            foreach (var variable in declaration.Variables)
            {
                ArrayDeclaration(variable);
            }
            return;
        }
        Line(ScalarDeclaration(declaration, statement.IsConst) + ";");
    }

    private bool IsViewOrSpan(VariableDeclaratorSyntax variable)
    {
        var type = (model.GetDeclaredSymbol(variable) as ILocalSymbol)?.Type;
        return Known.IsArrayView(type) || Known.IsSpan(type);
    }

    /// <summary>int a = 1, b; → the C declaration without the semicolon (also for for-initializers).</summary>
    private string ScalarDeclaration(VariableDeclarationSyntax declaration, bool isConst)
    {
        var first = model.GetDeclaredSymbol(declaration.Variables[0]) as ILocalSymbol;
        string type = CType(first?.Type, declaration.Type.GetLocation());
        var parts = declaration.Variables.Select(variable =>
        {
            var symbol = model.GetDeclaredSymbol(variable)!;
            string name = Reserve(variable.Identifier.Text);
            variables[symbol] = new Variable(VariableKind.Scalar, name);
            return variable.Initializer is null ? name : name + " = " + Expression(variable.Initializer.Value);
        }).ToList();
        return (isConst ? "const " : "") + type + " " + string.Join(", ", parts);
    }

    /// <summary>An ArrayView local (a view expression, or SharedMemory.Allocate) or a Span local (= stackalloc).</summary>
    private void ArrayDeclaration(VariableDeclaratorSyntax variable)
    {
        var symbol = (ILocalSymbol)model.GetDeclaredSymbol(variable)!;
        string element = CType(KnownSymbols.ElementOf(symbol.Type), variable.Identifier.GetLocation());
        var value = variable.Initializer?.Value;
        if (value is null)
        {
            Report(Generator.Diagnostics.UnsupportedExpression, variable.GetLocation(), "A view or span local without an initializer");
            return;
        }
        if (Known.IsSpan(symbol.Type))
        {
            PrivateArray(variable, symbol, element, value);
            return;
        }
        if (DynamicShared(variable, symbol, element, value))
        {
            return;
        }
        if (IsSharedAllocation(value, out var allocation))
        {
            SharedArray(variable, symbol, element, allocation);
            return;
        }
        if (IsCallOf(value, Known.LocalMemory, out var local))
        {
            LocalArray(variable, symbol, element, local);
            return;
        }
        var view = View(value);
        string name = Reserve(variable.Identifier.Text);
        string length = Reserve(variable.Identifier.Text + "_len");
        Line(Dialect.Pointer(view.Space, element) + " " + name + " = " + view.Pointer + ";");
        Line("int " + length + " = " + view.Length + ";");
        variables[symbol] = new Variable(VariableKind.View, name, length, view.Space);
    }

    private void PrivateArray(VariableDeclaratorSyntax variable, ILocalSymbol symbol, string element, ExpressionSyntax value)
    {
        ExpressionSyntax? size = value switch
        {
            StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax array } => array.RankSpecifiers[0].Sizes[0],
            _ => null,
        };
        InitializerExpressionSyntax? values = (value as StackAllocArrayCreationExpressionSyntax)?.Initializer
            ?? (value as ImplicitStackAllocArrayCreationExpressionSyntax)?.Initializer;
        string length;
        if (size is not null && size is not OmittedArraySizeExpressionSyntax)
        {
            if (CompileTimeSize(size) is not { } known)
            {
                Report(Generator.Diagnostics.NonConstantSize, size.GetLocation(), variable.Identifier.Text);
                return;
            }
            length = known;
        }
        else if (values is not null)
        {
            length = values.Expressions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            Report(Generator.Diagnostics.Allocation, value.GetLocation(), value.ToString());
            return;
        }
        string name = Reserve(variable.Identifier.Text);
        string init = values is null ? "{0}" : "{ " + string.Join(", ", values.Expressions.Select(Expression)) + " }";
        // stackalloc zero-fills in C#; the C initializer does the same.
        Line(element + " " + name + "[" + length + "] = " + init + ";");
        variables[symbol] = new Variable(VariableKind.PrivateArray, name, length);
    }

    private void SharedArray(VariableDeclaratorSyntax variable, ILocalSymbol symbol, string element, InvocationExpressionSyntax allocation)
    {
        if (!SharedMemoryAllowed(allocation))
        {
            return;
        }
        var size = allocation.ArgumentList.Arguments.FirstOrDefault()?.Expression;
        if (size is null || CompileTimeSize(size) is not { } length)
        {
            Report(Generator.Diagnostics.NonConstantSize, (size ?? (SyntaxNode)allocation).GetLocation(), variable.Identifier.Text);
            return;
        }
        string name = Reserve(variable.Identifier.Text);
        // OpenCL allows __local variables only at kernel scope: every shared array is declared up front.
        sharedDeclarations.Add(Dialect.SharedArray(element, name, length));
        CountShared(KnownSymbols.ElementOf(symbol.Type), length);
        variables[symbol] = new Variable(VariableKind.View, name, length, AddressSpace.Local);
    }

    /// <summary>
    /// <c>ref T x = ref SharedMemory.Allocate&lt;T&gt;();</c>, ILGPU's one shared element: a shared array of one, whose
    /// element every use of x names. Other ref locals have no C form here.
    /// </summary>
    private void SharedScalar(VariableDeclarationSyntax declaration)
    {
        var variable = declaration.Variables[0];
        if (declaration.Variables.Count != 1 || variable.Initializer?.Value is not RefExpressionSyntax { Expression: var value }
            || !IsSharedAllocation(value, out var allocation) || allocation.ArgumentList.Arguments.Count != 0)
        {
            Report(Generator.Diagnostics.UnsupportedStatement, declaration.Type.GetLocation(),
                "ref local (the one with a device form is ref T x = ref SharedMemory.Allocate<T>();)");
            // Known from here on, so that its uses report nothing more.
            foreach (var declared in declaration.Variables)
            {
                variables[model.GetDeclaredSymbol(declared)!] = new Variable(VariableKind.Scalar, Reserve(declared.Identifier.Text));
            }
            return;
        }
        if (!SharedMemoryAllowed(allocation))
        {
            return;
        }
        var symbol = (ILocalSymbol)model.GetDeclaredSymbol(variable)!;
        string element = CType(symbol.Type, declaration.Type.GetLocation());
        string name = Reserve(variable.Identifier.Text);
        sharedDeclarations.Add(Dialect.SharedArray(element, name, "1"));
        CountShared(symbol.Type, "1");
        variables[symbol] = new Variable(VariableKind.Scalar, name + "[0]", space: AddressSpace.Local);
    }

    /// <summary>ILGPU's <c>var a = LocalMemory.Allocate&lt;T&gt;(n);</c>: a private array of n (a compile-time size), not zeroed.</summary>
    private void LocalArray(VariableDeclaratorSyntax variable, ILocalSymbol symbol, string element, InvocationExpressionSyntax allocation)
    {
        var size = allocation.ArgumentList.Arguments.FirstOrDefault()?.Expression;
        if (size is null || CompileTimeSize(size) is not { } length)
        {
            Report(Generator.Diagnostics.NonConstantSize, (size ?? (SyntaxNode)allocation).GetLocation(), variable.Identifier.Text);
            return;
        }
        string name = Reserve(variable.Identifier.Text);
        Line(element + " " + name + "[" + length + "];");
        variables[symbol] = new Variable(VariableKind.PrivateArray, name, length);
    }

    private bool IsCallOf(ExpressionSyntax value, INamedTypeSymbol? type, out InvocationExpressionSyntax invocation)
    {
        invocation = (value as InvocationExpressionSyntax)!;
        return invocation is not null
            && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol target
            && KnownSymbols.Is(target.ContainingType, type);
    }

    private bool SharedMemoryAllowed(InvocationExpressionSyntax allocation)
    {
        if (!InGroupedKernel)
        {
            Report(Generator.Diagnostics.GroupFeatureMisuse, allocation.GetLocation(), kernel is null
                ? "SharedMemory.Allocate may only be called in a kernel's body, not in a kernel function: allocate in the kernel and pass the view"
                : "SharedMemory.Allocate needs an explicitly grouped kernel: an auto-grouped (Index1D/2D/3D) kernel has no groups to share with");
        }
        return InGroupedKernel;
    }

    private bool IsSharedAllocation(ExpressionSyntax value, out InvocationExpressionSyntax invocation) =>
        IsCallOf(value, Known.SharedMemory, out invocation);
}
