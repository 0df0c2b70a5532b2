#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates NetNs.
.DESCRIPTION
    Tasks (run in the order given; every task runs Bootstrap first):
      Bootstrap  Installs missing Debian packages (as root), restores Pester from NuGet, starts Open vSwitch.
      Build      Compiles the module into out/NetNs (NetNs.psd1, DLLs, format and help files).
      Test       Builds, then runs the xunit and the Pester tests; prints 'N passed, N failed' over both.
      Demo       Builds, then runs examples/walkthrough.ps1 (the walk-through shown in the README).
      Docs       Builds, then refreshes docs/en-US/*.md from the built cmdlets (docs/help.ps1 -Update): creates
                 the file of a new cmdlet, regenerates SYNTAX, parameter metadata, INPUTS and OUTPUTS, keeps the prose.
      Bench      Builds, then runs bench/Bench.ps1: a star of N hosts built and torn down four ways (CSV + SVG chart in out/bench).
      Clean      Removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Bootstrap', 'Build', 'Test', 'Demo', 'Docs', 'Bench', 'Clean')]
    [string[]] $Task = @('Build'),

    # Pester tests to run (a path under tests/); default: all of them.
    [string[]] $PesterPath = @(),

    # Build configuration.
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'NetNs'
$PesterVersion = '5.7.1'
$script:Bootstrapped = $false
$LabPackages = @('iproute2', 'openvswitch-switch', 'dnsmasq-base', 'isc-dhcp-client', 'ethtool', 'iputils-ping', 'procps', 'graphviz', 'nftables')

function Write-Step([string] $Text) { Write-Host "==> $Text" -ForegroundColor Cyan }

# The command line that starts this same pwsh (works for 'pwsh' and for 'dotnet pwsh', which runs pwsh.dll).
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    $first = [Environment]::GetCommandLineArgs()[0]
    if ((Split-Path -Leaf $exe) -eq 'pwsh') { return , @($exe) }
    if ($first -like '*pwsh.dll') { return , @($exe, $first) }
    return , @('pwsh')
}

function Invoke-Pwsh([string] $Command) {
    $p = Get-PwshCommand
    $exe = $p[0]
    $rest = @($p | Select-Object -Skip 1)
    # The child's output goes to the host: only the exit status is returned.
    & $exe @rest -NoProfile -NonInteractive -Command $Command | Out-Host
    return $LASTEXITCODE
}

function Test-IsRoot { (id -u) -eq '0' }

function Invoke-Bootstrap {
    if ($script:Bootstrapped) { return }
    $script:Bootstrapped = $true
    Write-Step 'Bootstrap'
    if (Test-IsRoot) {
        $missing = @($LabPackages | Where-Object {
                $status = & dpkg-query -W -f '${Status}' $_ 2>$null
                $LASTEXITCODE -ne 0 -or $status -notlike '*install ok installed*'
            })
        if ($missing.Count -gt 0) {
            Write-Step "Installing Debian packages: $($missing -join ' ')"
            $env:DEBIAN_FRONTEND = 'noninteractive'
            & apt-get update -qq
            if ($LASTEXITCODE -ne 0) { throw 'apt-get update failed.' }
            & apt-get install -y -qq --no-install-recommends @missing
            if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed." }
        }
    } else {
        Write-Warning 'Not root: skipping Debian packages and daemons. The lab needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN).'
    }
    $pester = Join-Path (Get-NuGetRoot) "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pester)) {
        Write-Step "Restoring Pester $PesterVersion from NuGet"
        & dotnet restore (Join-Path $Root 'tests/PesterTools.proj') --verbosity quiet
        if ($LASTEXITCODE -ne 0) { throw 'dotnet restore tests/PesterTools.proj failed.' }
    }
    if (Test-IsRoot) { Start-OpenVSwitch }
}

function Get-NuGetRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    return (Join-Path $HOME '.nuget/packages')
}

# Starts the system Open vSwitch daemons (userspace datapath when there is no kernel module) unless they run.
function Start-OpenVSwitch {
    & ovs-vsctl --timeout=2 show *> $null
    if ($LASTEXITCODE -eq 0) { return }
    Write-Step 'Starting Open vSwitch (ovsdb-server, ovs-vswitchd)'
    $ctl = '/usr/share/openvswitch/scripts/ovs-ctl'
    $log = @(& $ctl start --system-id=random --no-monitor 2>&1)
    & ovs-vsctl --timeout=5 show *> $null
    if ($LASTEXITCODE -ne 0) {
        # ovs-ctl gives up on ovs-vswitchd when the openvswitch kernel module cannot be loaded; the database is
        # what we need first, then the switch daemon itself (it serves netdev bridges without the module).
        & $ctl start --system-id=random --no-monitor --no-ovs-vswitchd *> $null
        & ovs-vswitchd --pidfile --detach --log-file *> $null
    }
    & ovs-vsctl --timeout=5 show *> $null
    if ($LASTEXITCODE -ne 0) { Write-Warning "Open vSwitch did not start; the OVS tests will fail. ovs-ctl said:`n$($log -join "`n")" }
}

function Invoke-Build {
    Invoke-Bootstrap
    Write-Step "Build ($Configuration)"
    & dotnet build (Join-Path $Root 'src/NetNs/NetNs.csproj') -c $Configuration --nologo -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { throw 'dotnet build failed.' }
    $bin = Join-Path $Root "src/NetNs/bin/$Configuration/net8.0"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    foreach ($f in 'NetNs.dll', 'NetNs.Core.dll', 'CliWrap.dll', 'YamlDotNet.dll', 'NetNs.Format.ps1xml', 'NetNs.xml', 'NetNs.Core.xml') {
        Copy-Item (Join-Path $bin $f) $ModuleOut
    }
    Copy-Item (Join-Path $Root 'NetNs.psd1') $ModuleOut
    $docs = Join-Path $Root 'docs/help.ps1'
    if (Test-Path $docs) { & $docs -Compile -DocsPath (Join-Path $Root 'docs/en-US') -OutPath (Join-Path $ModuleOut 'en-US') }
    Write-Host "Module: $(Join-Path $ModuleOut 'NetNs.psd1')"
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Out 'test'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null

    Write-Step 'xunit'
    & dotnet test (Join-Path $Root 'tests/NetNs.Tests/NetNs.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $xPassed = 0; $xFailed = 0
    $trx = Join-Path $results 'xunit.trx'
    if (Test-Path $trx) {
        $c = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $xPassed = [int]$c.passed; $xFailed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
    } elseif ($xunitExit -ne 0) { $xFailed = 1 }

    Write-Step 'Pester (fresh pwsh, on the real kernel)'
    $summary = Join-Path $results 'pester.json'
    $paths = if ($PesterPath) { $PesterPath | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $Root 'tests') }
    $pester = Join-Path (Get-NuGetRoot) "pester/$PesterVersion/tools/Pester.psd1"
    $cmd = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$env:NETNS_MODULE = '$(Join-Path $ModuleOut 'NetNs.psd1')'
`$c = New-PesterConfiguration
`$c.Run.Path = @('$($paths -join "','")')
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputPath = '$(Join-Path $results 'pester.xml')'
`$r = Invoke-Pester -Configuration `$c
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount; NotRun = `$r.NotRunCount } | ConvertTo-Json | Set-Content '$summary'
"@
    $null = Invoke-Pwsh $cmd
    $pPassed = 0; $pFailed = 1; $pSkipped = 0
    if (Test-Path $summary) {
        $s = Get-Content -Raw $summary | ConvertFrom-Json
        $pPassed = $s.Passed; $pFailed = $s.Failed; $pSkipped = $s.Skipped
    }
    $passed = $xPassed + $pPassed
    $failed = $xFailed + $pFailed
    Write-Host "xunit: $xPassed passed, $xFailed failed; Pester: $pPassed passed, $pFailed failed, $pSkipped skipped"
    # The closing line CI reads: every test run, xunit and Pester together.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $xunitExit -ne 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Demo: examples/walkthrough.ps1'
    $module = Join-Path $ModuleOut 'NetNs.psd1'
    $exit = Invoke-Pwsh "& '$(Join-Path $Root 'examples/walkthrough.ps1')' -ModulePath '$module'; exit `$LASTEXITCODE"
    if ($exit -ne 0) { exit $exit }
}

function Invoke-Docs {
    Invoke-Build
    Write-Step 'Docs: refresh docs/en-US from the built module'
    # A fresh pwsh, so the module just built is the one imported.
    $exit = Invoke-Pwsh "& '$(Join-Path $Root 'docs/help.ps1')' -Update -DocsPath '$(Join-Path $Root 'docs/en-US')' -ModulePath '$(Join-Path $ModuleOut 'NetNs.psd1')'; exit [int](-not `$?)"
    if ($exit -ne 0) { throw 'docs/help.ps1 -Update failed.' }
    # Compile again so out/NetNs carries the help just refreshed.
    & (Join-Path $Root 'docs/help.ps1') -Compile -DocsPath (Join-Path $Root 'docs/en-US') -OutPath (Join-Path $ModuleOut 'en-US')
}

function Invoke-Bench {
    Invoke-Build
    Write-Step 'Bench: bench/Bench.ps1'
    # Run directly (not through Invoke-Pwsh, whose return value would swallow the bench's output).
    $p = Get-PwshCommand
    $rest = @($p | Select-Object -Skip 1)
    & $p[0] @rest -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Bench.ps1') -ModulePath (Join-Path $ModuleOut 'NetNs.psd1') -OutDirectory (Join-Path $Out 'bench')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    Write-Step 'Clean'
    foreach ($d in @($Out) + @(Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj | ForEach-Object FullName)) {
        if (Test-Path $d) { Remove-Item $d -Recurse -Force }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Bootstrap' { Invoke-Bootstrap }
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Docs' { Invoke-Docs }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
