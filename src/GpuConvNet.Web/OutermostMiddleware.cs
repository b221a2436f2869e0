using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace GpuConvNet.Web;

/// <summary>Middleware added before the web host's own (registered first among the startup filters, it runs outermost).</summary>
internal sealed class OutermostMiddleware(Action<IApplicationBuilder> add) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        add(app);
        next(app);
    };
}
