#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates NetNs.
.DESCRIPTION
    Tasks (run in the order given):
      Bootstrap  Installs missing Debian packages (as root), restores Pester from NuGet, starts Open vSwitch.
      Build      Publishes src/NetNs into out/NetNs (dotnet publish: manifest, DLLs, format file) and compiles the
                 help into out/NetNs/en-US. Installs nothing.
      Package    Builds, then lays out the versioned module folder out/package/NetNs/<version>/ and packs it with
                 Publish-PSResource into out/repository/NetNs.<version>.nupkg (a local file repository); prints its path.
      Test       Bootstrap, Package (the install test installs that package), then the xunit tests (with line
                 coverage) and the Pester tests. Writes out/test/xunit.trx, out/test/pester.xml (JUnit XML) and
                 out/test/coverage.cobertura.xml; prints the coverage, then 'N passed, N failed' over both as the last line.
      Demo       Bootstrap and Build, then runs examples/walkthrough.ps1 (the walk-through shown in the README).
      Docs       Builds, then refreshes docs/en-US/*.md from the built cmdlets (docs/help.ps1 -Update): creates
                 the file of a new cmdlet, regenerates SYNTAX, parameter metadata, INPUTS and OUTPUTS, keeps the prose.
      Bench      Bootstrap (plus python3-pyroute2 and GNU time) and Build, then runs bench/Bench.ps1: a star of N hosts built and torn down by NetNs (lab cold and warm, single cmdlets), the tutorial and the hand-optimised bash scripts and pyroute2, with every target PASS/FAIL (CSV + SVG chart in out/bench).
      Clean      Removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Package
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Bootstrap', 'Build', 'Test', 'Demo', 'Docs', 'Bench', 'Package', 'Clean')]
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
$PackageOut = Join-Path $Out 'package'
$RepositoryOut = Join-Path $Out 'repository'
$PesterVersion = '5.7.1'
$script:Bootstrapped = $false
$script:Built = $false
$script:Packaged = $null
$LabPackages = @('iproute2', 'openvswitch-switch', 'dnsmasq-base', 'isc-dhcp-client', 'ethtool', 'iputils-ping', 'procps', 'graphviz', 'nftables')
# The bench's peer (pyroute2, for Debian's python3) and GNU time (peak memory of each run): Bench only.
$BenchPackages = @('python3-pyroute2', 'time')

function Write-Step([string] $Text) { Write-Host "==> $Text" -ForegroundColor Cyan }

# The command line that starts this same pwsh (works for 'pwsh' and for 'dotnet pwsh', which runs pwsh.dll).
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    $first = [Environment]::GetCommandLineArgs()[0]
    if ((Split-Path -Leaf $exe) -eq 'pwsh') { return , @($exe) }
    if ($first -like '*pwsh.dll') { return , @($exe, $first) }
    return , @('pwsh')
}

# Runs a command in a fresh pwsh, with these environment variables set for it (and only for it).
function Invoke-Pwsh([string] $Command, [hashtable] $Environment = @{}) {
    $p = Get-PwshCommand
    $exe = $p[0]
    $rest = @($p | Select-Object -Skip 1)
    $saved = @{}
    foreach ($k in $Environment.Keys) {
        $saved[$k] = [Environment]::GetEnvironmentVariable($k)
        [Environment]::SetEnvironmentVariable($k, $Environment[$k])
    }
    try {
        # The child's output goes to the host: only the exit status is returned.
        & $exe @rest -NoProfile -NonInteractive -Command $Command | Out-Host
        return $LASTEXITCODE
    } finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
}

# A string as a single-quoted PowerShell literal (for paths put into a -Command text).
function ConvertTo-Literal([string] $Text) { "'" + ($Text -replace "'", "''") + "'" }

# ModuleVersion of NetNs.psd1: the one version source (src/Directory.Build.props reads it too).
function Get-ModuleVersion { [string](Import-PowerShellDataFile (Join-Path $Root 'NetNs.psd1')).ModuleVersion }

function Test-IsRoot { (id -u) -eq '0' }

function Invoke-Bootstrap([string[]] $ExtraPackages = @()) {
    if ($script:Bootstrapped) { return }
    $script:Bootstrapped = $true
    Write-Step 'Bootstrap'
    if (Test-IsRoot) {
        $missing = @(($LabPackages + $ExtraPackages) | Where-Object {
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

# Publishes the module folder out/NetNs (what is in it comes from src/NetNs/NetNs.csproj) and compiles its help.
# Installs nothing: Bootstrap does that, for the tasks that need the lab.
function Invoke-Build {
    if ($script:Built) { return }
    $script:Built = $true
    Write-Step "Build ($Configuration)"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    & dotnet publish (Join-Path $Root 'src/NetNs/NetNs.csproj') -c $Configuration -o $ModuleOut --nologo -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { throw 'dotnet publish failed.' }
    & (Join-Path $Root 'docs/help.ps1') -Compile -DocsPath (Join-Path $Root 'docs/en-US') -OutPath (Join-Path $ModuleOut 'en-US')
    Write-Host "Module: $(Join-Path $ModuleOut 'NetNs.psd1')"
}

# The versioned module folder out/package/NetNs/<version>/ packed by Publish-PSResource into the local file
# repository out/repository. PSResourceGet runs in a fresh pwsh with a throwaway HOME (its repository store lives
# under XDG_DATA_HOME), so the user's own PSResourceGet configuration is neither read nor changed.
function Invoke-Package {
    if ($script:Packaged) { return }
    Invoke-Build
    $version = Get-ModuleVersion
    Write-Step "Package NetNs $version"
    $changelog = Join-Path $Root 'CHANGELOG.md'
    if (-not (Select-String -LiteralPath $changelog -Pattern "^## \[$([regex]::Escape($version))\]" -Quiet)) {
        throw "CHANGELOG.md has no section '## [$version]': write the release notes of $version first."
    }
    foreach ($d in $PackageOut, $RepositoryOut) { if (Test-Path $d) { Remove-Item $d -Recurse -Force } }
    $folder = Join-Path $PackageOut "NetNs/$version"
    New-Item -ItemType Directory -Path $folder, $RepositoryOut | Out-Null
    Copy-Item (Join-Path $ModuleOut '*') $folder -Recurse
    Copy-Item (Join-Path $Root 'LICENSE') $folder
    # .NET gives PSResourceGet an empty folder path (so the current directory) for a folder that does not exist.
    $throwaway = Join-Path $PackageOut 'home'
    $throwawayEnv = @{ HOME = $throwaway; XDG_DATA_HOME = (Join-Path $throwaway '.local/share'); XDG_CONFIG_HOME = (Join-Path $throwaway '.config'); XDG_CACHE_HOME = (Join-Path $throwaway '.cache') }
    New-Item -ItemType Directory -Force -Path @($throwawayEnv.Values) | Out-Null
    $cmd = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name NetNsLocal -Uri $(ConvertTo-Literal $RepositoryOut) -Trusted
Publish-PSResource -Path $(ConvertTo-Literal (Join-Path $folder 'NetNs.psd1')) -Repository NetNsLocal
"@
    $exit = Invoke-Pwsh $cmd $throwawayEnv
    Remove-Item $throwaway -Recurse -Force
    $nupkg = Join-Path $RepositoryOut "NetNs.$version.nupkg"
    if ($exit -ne 0 -or -not (Test-Path $nupkg)) { throw "Publish-PSResource did not write $nupkg." }
    Write-Host "Package: $nupkg"
    $script:Packaged = $nupkg
}

function Invoke-Test {
    Invoke-Bootstrap
    Invoke-Package
    $results = Join-Path $Out 'test'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null

    Write-Step 'xunit (with line coverage of src/)'
    $testProject = Join-Path $Root 'tests/NetNs.Tests'
    & dotnet test (Join-Path $testProject 'NetNs.Tests.csproj') -c $Configuration --nologo `
        --collect 'XPlat Code Coverage' --settings (Join-Path $testProject 'coverage.runsettings') `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $xPassed = 0; $xFailed = 0
    $trx = Join-Path $results 'xunit.trx'
    if (Test-Path $trx) {
        $c = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $xPassed = [int]$c.passed; $xFailed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
    } elseif ($xunitExit -ne 0) { $xFailed = 1 }
    # The collector writes <results>/<guid>/coverage.cobertura.xml (and a copy under the trx's folder): keep one file.
    $coverage = Join-Path $results 'coverage.cobertura.xml'
    $attachment = Get-ChildItem -Path $results -Recurse -Filter 'coverage.cobertura.xml' | Sort-Object LastWriteTime | Select-Object -Last 1
    $coverageLine = 'Coverage: none (the xunit run wrote no coverage.cobertura.xml)'
    if ($attachment) {
        Copy-Item $attachment.FullName $coverage
        Get-ChildItem -Path $results -Directory | Remove-Item -Recurse -Force
        $r = ([xml](Get-Content -Raw $coverage)).coverage
        $coverageLine = 'Coverage (xunit, src/): {0:0.0} % of lines ({1} of {2})' -f (100 * [double]::Parse($r.'line-rate', [cultureinfo]::InvariantCulture)), $r.'lines-covered', $r.'lines-valid'
    }

    Write-Step 'Pester (fresh pwsh, on the real kernel)'
    $summary = Join-Path $results 'pester.json'
    $paths = if ($PesterPath) { $PesterPath | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $Root 'tests') }
    $pester = Join-Path (Get-NuGetRoot) "pester/$PesterVersion/tools/Pester.psd1"
    $cmd = @"
`$ErrorActionPreference = 'Stop'
Import-Module $(ConvertTo-Literal $pester)
`$env:NETNS_MODULE = $(ConvertTo-Literal (Join-Path $ModuleOut 'NetNs.psd1'))
`$env:NETNS_REPOSITORY = $(ConvertTo-Literal $RepositoryOut)
`$c = New-PesterConfiguration
`$c.Run.Path = @($(($paths | ForEach-Object { ConvertTo-Literal $_ }) -join ', '))
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputFormat = 'JUnitXml'
`$c.TestResult.OutputPath = $(ConvertTo-Literal (Join-Path $results 'pester.xml'))
# Plain text from every pwsh the tests start: a failure message that quotes their output stays valid XML.
`$env:NO_COLOR = '1'
`$r = Invoke-Pester -Configuration `$c
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount; NotRun = `$r.NotRunCount } | ConvertTo-Json | Set-Content $(ConvertTo-Literal $summary)
"@
    $null = Invoke-Pwsh $cmd
    # No summary (or an empty one) means the Pester run did not complete: that counts as a failure.
    $pPassed = 0; $pFailed = 1; $pSkipped = 0
    if (Test-Path $summary) {
        $s = Get-Content -Raw $summary | ConvertFrom-Json
        if ($null -ne $s.Passed -and $null -ne $s.Failed) { $pPassed = [int]$s.Passed; $pFailed = [int]$s.Failed; $pSkipped = [int]$s.Skipped }
        Remove-Item $summary
    }
    $passed = $xPassed + $pPassed
    $failed = $xFailed + $pFailed
    Write-Host "Results: $results (xunit.trx, pester.xml as JUnit XML, coverage.cobertura.xml)"
    Write-Host $coverageLine
    Write-Host "xunit: $xPassed passed, $xFailed failed; Pester: $pPassed passed, $pFailed failed, $pSkipped skipped"
    # The closing line CI reads: every test run, xunit and Pester together. It stays the last line.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $xunitExit -ne 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Bootstrap
    Invoke-Build
    Write-Step 'Demo: examples/walkthrough.ps1'
    $module = Join-Path $ModuleOut 'NetNs.psd1'
    $exit = Invoke-Pwsh "& $(ConvertTo-Literal (Join-Path $Root 'examples/walkthrough.ps1')) -ModulePath $(ConvertTo-Literal $module); exit `$LASTEXITCODE"
    if ($exit -ne 0) { exit $exit }
}

function Invoke-Docs {
    Invoke-Build
    Write-Step 'Docs: refresh docs/en-US from the built module'
    # A fresh pwsh, so the module just built is the one imported.
    $exit = Invoke-Pwsh "& $(ConvertTo-Literal (Join-Path $Root 'docs/help.ps1')) -Update -DocsPath $(ConvertTo-Literal (Join-Path $Root 'docs/en-US')) -ModulePath $(ConvertTo-Literal (Join-Path $ModuleOut 'NetNs.psd1')); exit [int](-not `$?)"
    if ($exit -ne 0) { throw 'docs/help.ps1 -Update failed.' }
    # Compile again so out/NetNs carries the help just refreshed.
    & (Join-Path $Root 'docs/help.ps1') -Compile -DocsPath (Join-Path $Root 'docs/en-US') -OutPath (Join-Path $ModuleOut 'en-US')
}

function Invoke-Bench {
    Invoke-Bootstrap -ExtraPackages $BenchPackages
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
        'Package' { Invoke-Package }
        'Clean' { Invoke-Clean }
    }
}
